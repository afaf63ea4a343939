use super::*;
use crate::prose::Format;

#[test]
fn debug_seed_quotes() {
    let corpus = Corpus::builtin();
    for d in &corpus.documents {
        for q in extract(&d.prose) {
            let parts: Vec<&str> = q.parts.iter().map(|p| p.slice(&d.text)).collect();
            eprintln!("{:?} <- {:?}", parts, q.speaker.as_ref().map(|s| (s.kind, s.text.clone())));
        }
    }
}
