//! EDM `Guid` as the text it came as.
//!
//! `uuid::Uuid` prints lowercase, so a GUID the service sent in capitals
//! (`0118A350-71FC-4EC3-8F0C-6A1CB8867561`, as Graph writes license SKU ids) would change
//! on a round trip. [`Guid`] keeps the text and the parsed value beside it.

crate::time::exact_text!(
    /// EDM `Guid`: checked on the way in, written back as it came.
    Guid(uuid::Uuid),
    "a GUID",
    |text| uuid::Uuid::try_parse(text).ok(),
    |value| value.to_string()
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_print_back_as_they_came() {
        for text in [
            "0118A350-71FC-4EC3-8F0C-6A1CB8867561",
            "45715bb8-13f9-4bf6-927f-ef96c102d394",
        ] {
            let parsed: Guid = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(
                serde_json::to_value(&parsed).unwrap(),
                serde_json::json!(text)
            );
        }
        let upper = Guid::parse("0118A350-71FC-4EC3-8F0C-6A1CB8867561").unwrap();
        let lower = Guid::parse("0118a350-71fc-4ec3-8f0c-6a1cb8867561").unwrap();
        assert_eq!(upper.value(), lower.value());
        let e = serde_json::from_value::<Guid>(serde_json::json!("skuId-value")).unwrap_err();
        assert!(e.to_string().contains("is not a GUID"), "{e}");
        let made = Guid::from(uuid::Uuid::nil());
        assert_eq!(made.as_str(), "00000000-0000-0000-0000-000000000000");
    }
}
