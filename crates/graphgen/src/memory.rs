//! Peak memory of a process tree, read from `/proc` (Linux); elsewhere nothing is known.

use std::collections::BTreeMap;

/// Watches a process and its descendants, keeping the largest peak resident memory
/// (`VmHWM`) any one of them reached.
#[derive(Debug)]
pub struct PeakWatch {
    root: u32,
    peak: Option<u64>,
}

impl PeakWatch {
    /// Watches the process `root`.
    pub fn new(root: u32) -> Self {
        PeakWatch { root, peak: None }
    }

    /// Looks at every live descendant once. Call it often: a process's peak is lost
    /// when it exits between two samples.
    pub fn sample(&mut self) {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return;
        };
        let mut parents: BTreeMap<u32, u32> = BTreeMap::new();
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
                continue;
            };
            if let Some(parent) = parent_of(pid) {
                parents.insert(pid, parent);
            }
        }
        for &pid in parents.keys() {
            let hwm = descends_from(pid, self.root, &parents)
                .then(|| high_water_mark(pid))
                .flatten();
            if let Some(hwm) = hwm {
                self.peak = Some(self.peak.map_or(hwm, |p| p.max(hwm)));
            }
        }
    }

    /// The largest peak seen, in bytes.
    pub fn peak(&self) -> Option<u64> {
        self.peak
    }
}

fn descends_from(mut pid: u32, root: u32, parents: &BTreeMap<u32, u32>) -> bool {
    // Bounded by the number of processes: a parent loop cannot hang the walk.
    for _ in 0..=parents.len() {
        if pid == root {
            return true;
        }
        match parents.get(&pid) {
            Some(&parent) if parent != 0 => pid = parent,
            _ => return false,
        }
    }
    false
}

/// The parent pid, from `/proc/<pid>/stat` (after the command name, which may hold
/// spaces and parentheses: the last `)` ends it).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// `VmHWM` of a process, in bytes.
pub fn high_water_mark(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestry_walk_stops_on_loops_and_roots() {
        let parents = BTreeMap::from([(3, 2), (2, 1), (1, 0), (7, 8), (8, 7)]);
        assert!(descends_from(3, 1, &parents));
        assert!(!descends_from(3, 9, &parents));
        assert!(!descends_from(7, 1, &parents));
    }
}
