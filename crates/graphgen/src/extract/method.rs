//! Method pages: the HTTP request section, what the operation does, its response
//! sentence, request body, examples and permissions.

use super::table::column;
use super::{
    Extractor, codes, is_type_name, named_type, paragraphs, section, section_tables, tables,
    type_name,
};
use crate::diag::DiagnosticCode;
use crate::facts::{Example, OperationFacts, PageFacts, PropertyFacts, TypeFacts};
use crate::http::{
    Method, balanced_braces, normalize_path, operation_request, parse_http, relative_path,
};
use crate::page::{Block, Section, SectionKind, TitleKind};
use crate::schema::{OperationKind, Permissions, TypeKind, is_primitive};

/// The method and every path of the HTTP request section, in page order.
struct Request {
    method: Method,
    paths: Vec<String>,
    /// Line of the section heading, where the operation is said to be.
    line: u32,
}

impl Extractor<'_> {
    /// The page's operations: one per method of its HTTP request section (most pages
    /// have one; a page may document a resource's update as `PATCH` and `PUT`, or one
    /// call under two addresses and methods, `DELETE …/following/{id}` and `POST
    /// …/items/{id}/unfollow`). They share the page's response, body and examples.
    pub(super) fn method_page(&mut self, facts: &mut PageFacts) {
        let requests = self.requests();
        // What each request does, and the type its title (or intro) names.
        let kinds: Vec<(OperationKind, Option<String>)> = requests
            .iter()
            .map(|r| self.operation_kind(r.method, &r.paths))
            .collect();
        let (Some(first), Some((first_kind, first_title_type))) = (requests.first(), kinds.first())
        else {
            return;
        };
        let first_kind = *first_kind;
        let response = self.response_sentence();
        let examples = self.examples();
        self.check_example_json(&examples);
        // The Response section's sentence, else its own example response (pages that
        // show the response there and have no Examples section), else the first example.
        // A sentence whose code and reason phrase disagree (`201 No Content`) is
        // decided by the example response, where it shows the phrase's code.
        let shown = example_status(&examples);
        let status = response
            .reason_status
            .filter(|&named| shown == Some(named))
            .or(response.status)
            .or_else(|| self.response_section_status())
            .or(shown);
        if status.is_none() {
            self.error(
                first.line,
                DiagnosticCode::NoStatus,
                "no success status: expected `If successful, this method returns a `200 OK` response code` or an example response",
            );
        }
        let first_ty = operation_type(first_kind, &response, first_title_type.clone());
        let (mut body, labelled) = self.request_body(first_ty.as_deref());
        for (name, properties) in labelled {
            // Only a create or update body is a type's properties; an action's
            // parameters stay its own, whatever label is over them.
            if !matches!(first_kind, OperationKind::Create | OperationKind::Update) {
                body.extend(properties);
                continue;
            }
            self.possible_values(&properties, facts);
            facts
                .types
                .extend(body_type(Some(&name), properties, first.line));
        }
        self.possible_values(&body, facts);
        let permissions = self.permissions();
        let mut body_typed = false;
        for (request, (kind, title_type)) in requests.iter().zip(kinds) {
            let ty = operation_type(kind, &response, title_type);
            let parameters = match kind {
                // A function takes its parameters in the path (`f(period='D7')`); the
                // docs list them in a "Function parameters" table.
                OperationKind::Function => {
                    let mut parameters: Vec<PropertyFacts> =
                        section_tables(self.page, SectionKind::FunctionParameters)
                            .flat_map(|t| self.property_table(t, false))
                            .collect();
                    parameters.extend(body.iter().cloned());
                    parameters
                }
                OperationKind::Create | OperationKind::Update => {
                    // The body documents its type once, however many methods send it.
                    if !body_typed
                        && let Some(body_type) = body_type(ty.as_ref(), body.clone(), request.line)
                    {
                        facts.types.insert(0, body_type);
                        body_typed = true;
                    }
                    Vec::new()
                }
                _ => body.clone(),
            };
            let name = match kind {
                OperationKind::Action | OperationKind::Function => request
                    .paths
                    .first()
                    .map(|p| operation_name(p))
                    .unwrap_or_default(),
                other => other.as_str().to_string(),
            };
            facts.operations.push(OperationFacts {
                kind,
                name,
                method: request.method.as_str().to_string(),
                paths: request.paths.clone(),
                status,
                ty,
                returns_collection: response.collection,
                parameters,
                permissions: permissions.clone(),
                examples: examples_of(&examples, request.method, &requests),
                line: request.line,
            });
        }
    }

    /// The HTTP request section's requests, one per method; an error when it has no
    /// request line.
    fn requests(&mut self) -> Vec<Request> {
        let Some(section) = section(self.page, &[SectionKind::HttpRequest]) else {
            return Vec::new();
        };
        let line = section.heading.line;
        let warned = self.diagnostics.len();
        let requests = self.request_paths(section, line);
        // A request line whose path is a placeholder (`POST ** Collection URI for x not
        // found`) is incomplete docs, already warned about: no operation, no error.
        let placeholder = self.diagnostics[warned..]
            .iter()
            .any(|d| d.code == DiagnosticCode::NoPath.as_str());
        if requests.is_empty() && !placeholder {
            self.error(
                line,
                DiagnosticCode::NoRequestLine,
                "the HTTP request section has no request line: expected `METHOD /path`",
            );
        }
        requests
    }

    /// Every path of the HTTP request section, by method in the order each method first
    /// appears, and paths in page order. `line` is the section heading's: a page with one
    /// method is said to be there; another method, at its first request line.
    fn request_paths(&mut self, section: &Section, line: u32) -> Vec<Request> {
        let mut requests: Vec<Request> = Vec::new();
        for (text, number) in section_lines(section) {
            let Some((method, path)) = self.request_path(&text, number) else {
                continue;
            };
            let at = match requests.iter().position(|r| r.method == method) {
                Some(at) => at,
                None => {
                    let line = if requests.is_empty() { line } else { number };
                    requests.push(Request {
                        method,
                        paths: Vec::new(),
                        line,
                    });
                    requests.len() - 1
                }
            };
            if !requests[at].paths.contains(&path) {
                requests[at].paths.push(path);
            }
        }
        requests
    }

    /// The method and normalized path of one request line, or a diagnostic saying why
    /// the line gives no usable path.
    fn request_path(&mut self, line: &str, number: u32) -> Option<(Method, String)> {
        let (verb, target) = operation_request(line)?;
        // `GET policies/x`: the slash left out, as some pages do.
        let relative = (!target.starts_with('/'))
            .then(|| relative_path(target))
            .flatten();
        if let Some(path) = &relative {
            self.warn(
                number,
                DiagnosticCode::RelativePath,
                format!("`{line}` has no leading `/`: read as `{path}`"),
            );
        }
        let target = relative.as_deref().unwrap_or(target);
        if target.starts_with("**") || !target.starts_with('/') {
            self.warn(
                number,
                DiagnosticCode::NoPath,
                format!(
                    "`{line}` has no usable path: expected `{} /path`",
                    verb.as_str()
                ),
            );
            return None;
        }
        let path = normalize_path(target);
        if !balanced_braces(&path) {
            self.error(
                number,
                DiagnosticCode::BadPath,
                format!("path `{path}` has unbalanced braces"),
            );
            return None;
        }
        Some((verb, path))
    }

    /// What the operation does, from the title, or else the intro sentence and method;
    /// with the type the title (or intro) names.
    fn operation_kind(&self, method: Method, paths: &[String]) -> (OperationKind, Option<String>) {
        // A title's verb says what a CRUD page does only when the method agrees: "Get
        // member groups" over `POST …/getMemberGroups` is an action.
        if let Some(found) = self
            .title_operation()
            .filter(|(kind, _)| kind_fits_method(*kind, method))
        {
            return found;
        }
        // "If successful, this action returns …" / "this function returns …".
        let response = section(self.page, &[SectionKind::Response])
            .and_then(|s| paragraphs(&s.blocks).next())
            .map(|(text, _)| text)
            .unwrap_or("");
        if response.contains("this action returns") {
            return (OperationKind::Action, None);
        }
        if response.contains("this function returns") {
            return (OperationKind::Function, None);
        }
        // A GET with parameters in its path is a function, whatever verb the intro uses.
        let function = method_kind(method, paths) == OperationKind::Function;
        // No title: the intro sentence says what a CRUD page does; a get that returns a
        // collection ("Retrieve a list of x objects") lists, and names its type as a
        // "List x" title does: not at all.
        let intro = self.description();
        let sentence = first_sentence(&intro);
        let first = sentence.split_whitespace().next().unwrap_or("");
        match intro_kind(first, method).filter(|_| !function) {
            Some(OperationKind::Get) if self.response_sentence().collection => {
                (OperationKind::List, None)
            }
            Some(OperationKind::Create) if self.posts_to_an_action(first, paths) => {
                (OperationKind::Action, None)
            }
            Some(kind) => (
                kind,
                self.file_named(sentence).or_else(|| intro_type(sentence)),
            ),
            None => (method_kind(method, paths), None),
        }
    }

    /// The word of an intro sentence that the page's file name also names, ignoring
    /// case: "Delete a bookingStaffMember in the specified bookingBusiness." on
    /// `bookingstaffmember-delete` is about the staff member.
    fn file_named(&self, sentence: &str) -> Option<String> {
        let stem = self
            .source
            .page
            .rsplit('/')
            .next()
            .unwrap_or(self.source.page);
        sentence
            .split_whitespace()
            // The first word is the verb, which the file name spells too (`-update`).
            .skip(1)
            .map(|w| w.trim_end_matches(['.', ',', ';', ':']))
            .find(|w| is_type_name(w) && stem.split('-').any(|part| part.eq_ignore_ascii_case(w)))
            .map(type_name)
    }

    /// Whether a POST that the intro says adds or creates runs an action instead: the
    /// path ends in the action's name, led by the intro's verb ("Add a key …" over
    /// `…/addKey`), or in a word that names no collection (collections are plural:
    /// `…/users`, `…/members/$ref`) and the body is a table of parameters.
    fn posts_to_an_action(&self, verb: &str, paths: &[String]) -> bool {
        let verb = verb.to_ascii_lowercase();
        let last = |path: &'_ String| path.rsplit('/').next().unwrap_or("").to_string();
        let named = paths.iter().map(last).any(|last| {
            last.strip_prefix(verb.as_str())
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        });
        let singular = paths
            .iter()
            .map(last)
            .all(|last| !last.ends_with('s') && !last.starts_with('$'));
        named
            || singular
                && section_tables(self.page, SectionKind::RequestBody)
                    .any(|t| column(t, &["Parameter"]).is_some())
    }

    /// What the title says the operation does: "x action", "x function", or a verb
    /// ("Create x", "List x") with the type it names.
    fn title_operation(&self) -> Option<(OperationKind, Option<String>)> {
        let text = self.page.title.as_ref()?.text.trim();
        match TitleKind::split(text) {
            Some((TitleKind::Action, _)) => return Some((OperationKind::Action, None)),
            Some((TitleKind::Function, _)) => return Some((OperationKind::Function, None)),
            _ => {}
        }
        let (verb, rest) = text.split_once(' ')?;
        let kind = match verb.to_ascii_lowercase().as_str() {
            "create" => OperationKind::Create,
            "get" => OperationKind::Get,
            "list" => OperationKind::List,
            "update" => OperationKind::Update,
            "delete" => OperationKind::Delete,
            _ => return None,
        };
        // "Update a directory setting" names no type; "Get user" and "Get a user" do.
        let rest = rest.trim();
        let rest = ["a ", "an ", "the "]
            .iter()
            .find_map(|article| rest.strip_prefix(article))
            .unwrap_or(rest);
        let ty = (kind != OperationKind::List && is_type_name(rest)).then(|| type_name(rest));
        Some((kind, ty))
    }

    /// "If successful, this method returns a `201 Created` response code and a x object",
    /// before the section's first response: prose after it tells of other responses ("the
    /// service returns a partial success response with an HTTP status code of 207").
    fn response_sentence(&self) -> ResponseSentence {
        let Some(section) = section(self.page, &[SectionKind::Response]) else {
            return ResponseSentence::default();
        };
        let first_code = section
            .blocks
            .iter()
            .position(|b| matches!(b, Block::Code(_)))
            .unwrap_or(section.blocks.len());
        paragraphs(&section.blocks[..first_code])
            .find_map(|(text, _)| parse_response_sentence(text))
            .unwrap_or_default()
    }

    /// The status of the first HTTP response shown in the Response section itself.
    fn response_section_status(&self) -> Option<u16> {
        let section = section(self.page, &[SectionKind::Response])?;
        codes(section).flat_map(parse_http).find_map(|m| m.status)
    }

    /// The requests and responses of every code block from the first example section
    /// on; a response pairs with the request before it.
    fn examples(&self) -> Vec<Example> {
        let mut examples: Vec<Example> = Vec::new();
        let start = self
            .page
            .sections
            .iter()
            .position(|s| s.heading.text.to_ascii_lowercase().starts_with("example"));
        let Some(start) = start else {
            return examples;
        };
        let messages = self.page.sections[start..]
            .iter()
            .flat_map(codes)
            .flat_map(parse_http);
        for message in messages {
            match examples.last_mut() {
                Some(example) if message.status.is_some() && example.response.is_none() => {
                    example.response = Some(message)
                }
                _ if message.status.is_some() => examples.push(Example {
                    request: None,
                    response: Some(message),
                }),
                _ => examples.push(Example {
                    request: Some(message),
                    response: None,
                }),
            }
        }
        examples
    }

    /// An example body that is not JSON cannot be checked or replayed: say where it breaks.
    fn check_example_json(&mut self, examples: &[Example]) {
        for example in examples {
            for message in [&example.request, &example.response].into_iter().flatten() {
                let Some(body) = &message.body else { continue };
                if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
                    self.warn(
                        message.body_line + e.line().saturating_sub(1) as u32,
                        DiagnosticCode::BadExampleJson,
                        format!("the example body is not valid JSON: {e}"),
                    );
                }
            }
        }
    }

    /// The scopes of the permissions table, by permission type.
    fn permissions(&self) -> Permissions {
        let mut permissions = Permissions::default();
        let Some(section) = section(
            self.page,
            &[SectionKind::Permissions, SectionKind::Prerequisites],
        ) else {
            return permissions;
        };
        let Some(table) = tables(section).find(|t| column(t, &["Permission type"]).is_some())
        else {
            return permissions;
        };
        let mut current: Option<PermissionKind> = None;
        for row in &table.rows {
            // Indented sub-rows (`Policy Set`) add scopes to the kind above them.
            current = permission_kind(row.cells.first().map_or("", |c| c.as_str())).or(current);
            let list = match current {
                None => continue,
                Some(PermissionKind::DelegatedWork) => &mut permissions.delegated_work,
                Some(PermissionKind::DelegatedPersonal) => &mut permissions.delegated_personal,
                Some(PermissionKind::Application) => &mut permissions.application,
            };
            // Every scope column: today's tables split the scopes into "Least privileged
            // permissions" and "Higher privileged permissions", some older ones by whom
            // the call acts on (self, others).
            for cell in row.cells.iter().skip(1) {
                add_scopes(list, cell);
            }
        }
        permissions
    }
}

/// Every line of a section's code blocks and paragraphs, with its source line.
fn section_lines(section: &Section) -> Vec<(String, u32)> {
    section
        .blocks
        .iter()
        .flat_map(|block| match block {
            Block::Code(code) => code
                .text
                .lines()
                .enumerate()
                .map(|(i, l)| (l.trim().to_string(), code.line + i as u32))
                .collect::<Vec<_>>(),
            Block::Paragraph(p) => vec![(p.text.clone(), p.line)],
            Block::Table(_) => Vec::new(),
        })
        .collect()
}

/// The type an operation returns or writes: an action's or function's is the response
/// sentence's alone; a CRUD operation's may also be the one its title names.
fn operation_type(
    kind: OperationKind,
    response: &ResponseSentence,
    title_type: Option<String>,
) -> Option<String> {
    match kind {
        OperationKind::Action | OperationKind::Function => response.ty.clone(),
        _ => response.ty.clone().or(title_type),
    }
}

/// The examples of the page's operation of `method`: on a page of one method, all of
/// them; else those whose request uses the method, and the first operation also takes
/// those that show no request or one of a method no request line documents.
fn examples_of(examples: &[Example], method: Method, requests: &[Request]) -> Vec<Example> {
    if requests.len() < 2 {
        return examples.to_vec();
    }
    let documented = |m: &str| requests.iter().any(|r| r.method.as_str() == m);
    let first = requests.first().is_some_and(|r| r.method == method);
    examples
        .iter()
        .filter(|e| match &e.request {
            Some(request) if documented(&request.method) => request.method == method.as_str(),
            _ => first,
        })
        .cloned()
        .collect()
}

/// The status of the first example response that has one.
fn example_status(examples: &[Example]) -> Option<u16> {
    examples
        .iter()
        .find_map(|e| e.response.as_ref().and_then(|r| r.status))
}

impl Extractor<'_> {
    /// The request body's property tables: those of the operation's type `ty`, and those
    /// a label puts under another type, by name ("### openIdConnectProvider object" over
    /// the table of the properties that type adds, on a page creating any identity
    /// provider). A label naming `ty`, or none, leaves a table the operation's.
    fn request_body(
        &mut self,
        ty: Option<&str>,
    ) -> (Vec<PropertyFacts>, Vec<(String, Vec<PropertyFacts>)>) {
        let mut own = Vec::new();
        let mut labelled: Vec<(String, Vec<PropertyFacts>)> = Vec::new();
        let Some(section) = section(self.page, &[SectionKind::RequestBody]) else {
            return (own, labelled);
        };
        let mut owner: Option<String> = None;
        for block in &section.blocks {
            match block {
                Block::Paragraph(p) => {
                    if let Some(label) = object_label(&p.text) {
                        owner = (Some(label) != ty).then(|| label.to_string());
                    }
                }
                Block::Table(table) => {
                    let properties = self.property_table(table, false);
                    match &owner {
                        Some(name) => labelled.push((name.clone(), properties)),
                        None => own.extend(properties),
                    }
                }
                Block::Code(_) => {}
            }
        }
        (own, labelled)
    }
}

/// The type a label line names, "openIdConnectProvider object" (a sub-heading, which
/// every format shows as a line of its own).
fn object_label(text: &str) -> Option<&str> {
    let name = text
        .strip_suffix(" object")
        .or_else(|| text.strip_suffix(" resource"))?;
    is_type_name(name).then_some(name)
}

/// The type a create or update page's request body documents: the operation's type,
/// with the body's properties, and an entity when the body carries an `id`.
fn body_type(ty: Option<&String>, body: Vec<PropertyFacts>, line: u32) -> Option<TypeFacts> {
    let name = ty.filter(|name| !body.is_empty() && !is_primitive(name))?;
    let kind = body
        .iter()
        .any(|p| p.name == "id")
        .then_some(TypeKind::Entity);
    Some(TypeFacts {
        properties: body,
        ..named_type(name.clone(), kind, line)
    })
}

/// What an intro sentence's first word says a CRUD page does, when the method agrees.
fn intro_kind(first: &str, method: Method) -> Option<OperationKind> {
    Some(match (first.to_ascii_lowercase().as_str(), method) {
        ("create" | "add", Method::Post) => OperationKind::Create,
        ("read" | "get" | "retrieve", Method::Get) => OperationKind::Get,
        ("list", Method::Get) => OperationKind::List,
        ("update", Method::Patch | Method::Put) => OperationKind::Update,
        ("delete" | "deletes", Method::Delete) => OperationKind::Delete,
        _ => return None,
    })
}

/// The first sentence of an intro, without a leading "Use this API to" (which the
/// newer pages put before the verb: "Use this API to create a new x object.").
fn first_sentence(intro: &str) -> &str {
    let end = intro.find(". ").map_or(intro.len(), |at| at + 1);
    let sentence = &intro[..end];
    [
        "Use this API to ",
        "Use this method to ",
        "Use this API for ",
    ]
    .iter()
    .find_map(|lead| sentence.strip_prefix(lead))
    .unwrap_or(sentence)
}

/// Whether a page's method can serve an operation of `kind`.
fn kind_fits_method(kind: OperationKind, method: Method) -> bool {
    match kind {
        OperationKind::Create => method == Method::Post,
        OperationKind::Get | OperationKind::List => method == Method::Get,
        OperationKind::Update => matches!(method, Method::Patch | Method::Put),
        OperationKind::Delete => method == Method::Delete,
        OperationKind::Action | OperationKind::Function => true,
    }
}

/// What the method alone says, when nothing else does; a GET with parameters in its
/// path is a function.
fn method_kind(method: Method, paths: &[String]) -> OperationKind {
    match method {
        Method::Get if paths.iter().any(|p| p.ends_with(')')) => OperationKind::Function,
        Method::Get => OperationKind::Get,
        Method::Patch | Method::Put => OperationKind::Update,
        Method::Delete => OperationKind::Delete,
        _ => OperationKind::Action,
    }
}

/// Which list a permission-type cell starts: 0 delegated (work), 1 delegated
/// (personal), 2 application.
fn permission_kind(cell: &str) -> Option<PermissionKind> {
    let cell = cell.to_ascii_lowercase();
    if cell.starts_with("delegated (work") {
        Some(PermissionKind::DelegatedWork)
    } else if cell.starts_with("delegated (personal") {
        Some(PermissionKind::DelegatedPersonal)
    } else if cell.starts_with("application") {
        Some(PermissionKind::Application)
    } else {
        None
    }
}

/// The rows of a permissions table: which kind of scopes a row lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PermissionKind {
    DelegatedWork,
    DelegatedPersonal,
    Application,
}

/// Adds the scopes of a permissions cell (`A.Read.All, B.Read.All`) not yet listed.
fn add_scopes(list: &mut Vec<String>, cell: &str) {
    for scope in cell.split(',') {
        // A stray `|` from a row with one cell too many is no part of the scope.
        let scope = scope.trim_matches(|c: char| c == '|' || c.is_whitespace());
        let scope = scope.trim_end_matches('.');
        if scope.contains('.') && !scope.contains(' ') && !list.iter().any(|s| s == scope) {
            list.push(scope.to_string());
        }
    }
}

/// The name of an action or function: the last path segment without its parameters.
fn operation_name(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or(path);
    let last = last.split('(').next().unwrap_or(last);
    last.rsplit('.').next().unwrap_or(last).to_string()
}

/// What the response sentence says: the status, and the type returned, if any.
#[derive(Default)]
struct ResponseSentence {
    status: Option<u16>,
    /// The status the reason phrase after the code names, where it names another one
    /// than the code (`201 No Content`).
    reason_status: Option<u16>,
    ty: Option<String>,
    collection: bool,
}

/// The status a reason phrase names, for the phrases success codes have.
fn reason_phrase_status(after_code: &str) -> Option<u16> {
    const PHRASES: [(&str, u16); 4] = [
        ("No Content", 204),
        ("Created", 201),
        ("Accepted", 202),
        ("OK", 200),
    ];
    let after = after_code.trim_start();
    PHRASES.iter().find_map(|&(phrase, status)| {
        let starts = after
            .get(..phrase.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(phrase));
        starts.then_some(status)
    })
}

/// Reads "… returns a `200 OK` response code and a collection of x objects …".
fn parse_response_sentence(text: &str) -> Option<ResponseSentence> {
    let at = text.find("returns")?;
    let rest = &text[at + "returns".len()..];
    let code = rest
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 3)?;
    let status: u16 = code.parse().ok()?;
    let after_code = rest.find(code).map_or("", |at| &rest[at + code.len()..]);
    let mut sentence = ResponseSentence {
        status: Some(status),
        reason_status: reason_phrase_status(after_code).filter(|&named| named != status),
        ..ResponseSentence::default()
    };
    let Some(and) = rest.find("response code and") else {
        return Some(sentence);
    };
    let mut words = rest[and + "response code and".len()..]
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == '*' || c == '`' || c == ','))
        .peekable();
    while let Some(&word) = words.peek() {
        match word {
            // Words between the article and the type: "the single authorizationPolicy
            // object" (lower-case `single` is no EDM type; `Single` would be).
            "a" | "an" | "the" | "updated" | "new" | "created" | "requested" | "single"
            | "specified" => {
                words.next();
            }
            "collection" => {
                words.next();
                if words.peek() == Some(&"of") {
                    words.next();
                }
                sentence.collection = true;
            }
            // "a count of transitive reports", "one of the following objects": a number,
            // or one of several types, which the sentence does not name.
            "count" | "number" | "one" | "any" | "each" if words.clone().nth(1) == Some("of") => {
                return Some(sentence);
            }
            // "the updated properties of a mailboxSettings object", "a list of x
            // objects", "acollection of x objects" (sic): what comes after `of`.
            _ if words.clone().nth(1) == Some("of") => {
                sentence.collection |= word.ends_with("collection") || word == "list";
                words.nth(1);
            }
            _ => break,
        }
    }
    let mut name = words.next()?;
    // "a target group object": a word before the type's name describes it.
    let mut ahead = words.clone();
    if let (Some(next), Some(after)) = (ahead.next(), ahead.next())
        && matches!(after, "object" | "objects" | "resource" | "resources")
        && !matches!(next, "collection" | "object" | "objects")
        && is_type_name(next)
    {
        words.next();
        name = next;
    }
    // "… and does not return anything", "… and an empty response body", "… and a
    // Location header": no type.
    let no_type = matches!(
        name,
        "in" | "response" | "body" | "does" | "empty" | "no" | "JSON" | "json"
    ) || matches!(words.peek(), Some(&("header" | "headers" | "not")));
    if no_type || !is_type_name(name) {
        return Some(sentence);
    }
    if let Some(&next) = words.peek()
        && (next == "collection" || next == "objects")
    {
        sentence.collection = true;
    }
    sentence.ty = Some(type_name(name));
    Some(sentence)
}

/// The type named by an intro sentence: the word before "object" ("Create a new x
/// object."), else its first lowerCamel identifier ("Update the authenticationListener
/// defined for …"), else its last word ("Delete a user.").
fn intro_type(sentence: &str) -> Option<String> {
    let words: Vec<&str> = sentence
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', ',', ';', ':']))
        .collect();
    if let Some(i) = words.iter().position(|w| *w == "object" || *w == "objects") {
        return words.get(i.checked_sub(1)?).map(|w| type_name(w));
    }
    let camel = |w: &&&str| {
        w.starts_with(|c: char| c.is_ascii_lowercase())
            && w.contains(|c: char| c.is_ascii_uppercase())
            && is_type_name(w)
    };
    if let Some(word) = words.iter().skip(1).find(camel) {
        return Some(type_name(word));
    }
    // The last word only of a sentence that is a verb and its object ("Delete a user.",
    // "Create a new invitation"): in a longer one it is anything ("Get the count of
    // activations on desktops and devices").
    let (last, between) = words.split_last()?;
    let plain = between.iter().skip(1).all(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "a" | "an" | "the" | "new" | "existing" | "specified" | "single"
        )
    });
    (plain && !between.is_empty() && is_type_name(last)).then(|| type_name(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_verb_counts_only_when_the_method_agrees() {
        assert!(kind_fits_method(OperationKind::Get, Method::Get));
        assert!(!kind_fits_method(OperationKind::Get, Method::Post));
        assert!(kind_fits_method(OperationKind::Update, Method::Put));
        assert!(!kind_fits_method(OperationKind::Create, Method::Patch));
    }

    #[test]
    fn intro_sentences() {
        for (intro, method, kind, ty) in [
            (
                "Use this API to create a new personAnniversary object in a user's profile.",
                Method::Post,
                OperationKind::Create,
                "personAnniversary",
            ),
            (
                "Use this API to create a new invitation. Invitation adds an external user.",
                Method::Post,
                OperationKind::Create,
                "invitation",
            ),
            (
                "Update the properties of a bookingStaffMember in the specified bookingbusiness.",
                Method::Patch,
                OperationKind::Update,
                "bookingStaffMember",
            ),
            (
                "Delete a user.",
                Method::Delete,
                OperationKind::Delete,
                "user",
            ),
        ] {
            let sentence = first_sentence(intro);
            let first = sentence.split_whitespace().next().unwrap();
            assert_eq!(intro_kind(first, method), Some(kind), "{intro}");
            assert_eq!(intro_type(sentence).as_deref(), Some(ty), "{intro}");
        }
        for untyped in [
            "Get the count of Microsoft 365 activations on desktops and devices.",
            "Get details about users who have activated Microsoft 365.",
            "Add a member (user or group) to an administrative unit.",
        ] {
            assert_eq!(intro_type(first_sentence(untyped)), None, "{untyped}");
        }
    }

    #[test]
    fn response_sentences() {
        let s = parse_response_sentence(
            "If successful, this method returns a 200 OK response code and a collection of x objects in the response body.",
        )
        .unwrap();
        assert_eq!(
            (s.status, s.ty.as_deref(), s.collection),
            (Some(200), Some("x"), true)
        );
        let s = parse_response_sentence(
            "If successful, this action returns a 204 No Content response code.",
        )
        .unwrap();
        assert_eq!((s.status, s.ty), (Some(204), None));
        for no_type in [
            "this method returns a `204 No Content` response code and does not return anything in the response body.",
            "this method returns a `204 No Content` response code and an empty response body.",
            "this method returns a `201 Created` response code and a Location header with a URI to the object.",
        ] {
            let s = parse_response_sentence(no_type).unwrap();
            assert_eq!(s.ty, None, "{no_type}");
        }
        let s = parse_response_sentence(
            "If successful, this method returns a `201 No Content` response code.",
        )
        .unwrap();
        assert_eq!((s.status, s.reason_status), (Some(201), Some(204)));
        let s = parse_response_sentence("this method returns a `204 No content` response code.")
            .unwrap();
        assert_eq!((s.status, s.reason_status), (Some(204), None));
        let s = parse_response_sentence(
            "this method returns a `200 OK` response code and the updated properties of a mailboxSettings object in the response body.",
        )
        .unwrap();
        assert_eq!(s.ty.as_deref(), Some("mailboxSettings"));
        let s = parse_response_sentence(
            "this method returns a `201 Created` response code and the created organizationalBrandingProperties object.",
        )
        .unwrap();
        assert_eq!(s.ty.as_deref(), Some("organizationalBrandingProperties"));
        let s = parse_response_sentence(
            "this method returns a `200 OK` response code and the single authorizationPolicy object in the response body.",
        )
        .unwrap();
        assert_eq!(s.ty.as_deref(), Some("authorizationPolicy"));
        let typed = |text: &str| {
            let s = parse_response_sentence(text).unwrap();
            (s.ty, s.collection)
        };
        let ok = "this method returns a `200 OK` response code and";
        assert_eq!(
            typed(&format!("{ok} a target group object in the response body.")),
            (Some("group".to_string()), false)
        );
        assert_eq!(
            typed(&format!(
                "{ok} acollection of synchronizationTemplate objects."
            )),
            (Some("synchronizationTemplate".to_string()), true)
        );
        assert_eq!(
            typed(&format!(
                "{ok} a string collection object in the response body."
            )),
            (Some("string".to_string()), true)
        );
        for untyped in [
            "a count of transitive reports for an organizational contact in the response body.",
            "one of the following requested objects in the response body:",
        ] {
            assert_eq!(
                typed(&format!("{ok} {untyped}")),
                (None, false),
                "{untyped}"
            );
        }
    }
}
