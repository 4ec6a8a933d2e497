//! The assumptions a verdict rests on, in words: when every route that
//! decided it rests on an assumed setting (docs/semantics.md §10), the
//! summary says so; one route that rests on nothing is enough to drop it.

/// `; each such route rests on assumed: …` when every route of `deciding`
/// rests on at least one assumption; nothing otherwise.
pub fn resting_on<'a>(deciding: impl IntoIterator<Item = &'a [String]>) -> String {
    let mut labels: Vec<&str> = Vec::new();
    for assumptions in deciding {
        if assumptions.is_empty() {
            return String::new();
        }
        for label in assumptions {
            if !labels.contains(&label.as_str()) {
                labels.push(label);
            }
        }
    }
    if labels.is_empty() {
        return String::new();
    }
    format!("; each such route rests on {}", labels.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_verdict_every_deciding_route_rests_on_says_so() {
        let a = vec!["assumed: A".to_string()];
        let b = vec!["assumed: B".to_string(), "assumed: A".to_string()];
        let none: Vec<String> = Vec::new();
        assert_eq!(
            resting_on([a.as_slice(), b.as_slice()]),
            "; each such route rests on assumed: A; assumed: B"
        );
        assert_eq!(resting_on([a.as_slice(), none.as_slice()]), "");
        assert_eq!(resting_on(std::iter::empty::<&[String]>()), "");
    }
}
