//! Who publishes and who wrote each document: the names a draft may cite a source by
//! ("according to Bloomberg", "a report by Gartner", "Vox reports"), mapped to the documents
//! they name. A document is named by its front matter `publisher` and `author`, by the site of
//! its `url` (`bloomberg.com` is Bloomberg), by the suffix of its title ("... | VentureBeat",
//! "... - The Verge") and by the folder it sits in (`vox/7446.txt`).
//!
//! Names are compared as keys: letters and digits only, lower case, a leading "the" dropped
//! (`The Next Web`, `thenextweb` and `TheNextWeb` are one key), and a name of several words is
//! also known by its initials (`TNW`, `FT`). The catalog holds only keys and document ids; a
//! corpus builds it the first time a draft cites a name (see [`super::Corpus::documents_named`]).

use std::collections::HashMap;

use super::DocumentInfo;

/// Folder names that say nothing about who published what is in them.
const GENERIC_FOLDERS: &[&str] = &[
    "source", "sources", "corpus", "corpora", "seeds", "articles", "article", "docs", "data", "text", "texts", "news", "archive", "files", "raw", "src", "tmp",
];

/// Second-level labels under which a site's own name stands one label further left
/// (`bbc.co.uk` is `bbc`).
const SECOND_LEVEL: &[&str] = &["co", "com", "org", "net", "ac", "gov", "edu"];

/// Words at most in a title suffix read as the site's name ("... | MIT Technology Review").
const SUFFIX_WORDS: usize = 5;

/// Names mapped to the documents they name.
#[derive(Debug, Default)]
pub struct Catalog {
    /// A publication's keys (publisher, site, title suffix, folder, initials) to its group.
    groups: HashMap<Box<str>, u32>,
    /// The documents of each group, in id order.
    members: Vec<Vec<u32>>,
    /// Writers' keys (full name and surname) to their documents, in id order.
    authors: HashMap<Box<str>, Vec<u32>>,
}

/// Share of a folder's documents with a publication's name that must share one name for the
/// folder to be that publication's (`thenextweb/` is TNW's when its titles end "| TNW").
const FOLDER_DOMINANCE: f32 = 0.8;

impl Catalog {
    /// The catalog of the live documents among `documents` (ids are positions).
    ///
    /// The names one document is published under (its publisher, site and title suffix) are
    /// one publication's; a folder joins the publication nearly all its named documents share.
    /// A writer's name is kept apart: writers write for several publications.
    pub fn build(documents: &[DocumentInfo]) -> Catalog {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut parent: Vec<usize> = Vec::new();
        let mut intern = |k: String, parent: &mut Vec<usize>| -> usize {
            let next = parent.len();
            *ids.entry(k).or_insert_with(|| {
                parent.push(next);
                next
            })
        };
        let mut per_doc: Vec<(u32, Vec<usize>, Option<usize>)> = Vec::new();
        let mut authors: HashMap<Box<str>, Vec<u32>> = HashMap::new();
        let mut keys = Vec::new();
        for (id, d) in documents.iter().enumerate().filter(|(_, d)| d.live) {
            keys.clear();
            publication_keys(d, &mut keys);
            let names: Vec<usize> = keys.drain(..).map(|k| intern(k, &mut parent)).collect();
            for pair in names.windows(2) {
                union(&mut parent, pair[0], pair[1]);
            }
            let folder = folder(&d.path).map(|f| {
                let k = key(f);
                let at = intern(k.clone(), &mut parent);
                // `theverge` is also `verge`.
                if let Some(rest) = k.strip_prefix("the").filter(|r| r.len() >= 3) {
                    let other = intern(rest.to_string(), &mut parent);
                    union(&mut parent, at, other);
                }
                at
            });
            per_doc.push((id as u32, names, folder));
            let mut mine = Vec::new();
            author_keys(d, &mut mine);
            mine.sort_unstable();
            mine.dedup();
            for k in mine {
                authors.entry(k.into_boxed_str()).or_default().push(id as u32);
            }
        }
        // A folder joins the publication that names nearly all of its named documents.
        let mut folders: HashMap<usize, (usize, HashMap<usize, usize>)> = HashMap::new();
        for (_, names, folder) in &per_doc {
            let (Some(folder), Some(&first)) = (folder, names.first()) else { continue };
            let root = find(&mut parent, first);
            let entry = folders.entry(*folder).or_default();
            entry.0 += 1;
            *entry.1.entry(root).or_default() += 1;
        }
        let mut folder_list: Vec<_> = folders.into_iter().collect();
        folder_list.sort_unstable_by_key(|(f, _)| *f);
        for (folder, (named, counts)) in folder_list {
            if let Some((&root, &count)) = counts.iter().max_by_key(|(root, count)| (**count, std::cmp::Reverse(**root))) {
                if count as f32 >= FOLDER_DOMINANCE * named as f32 {
                    union(&mut parent, folder, root);
                }
            }
        }
        let mut group_of_root: HashMap<usize, u32> = HashMap::new();
        let mut members: Vec<Vec<u32>> = Vec::new();
        for (id, names, folder) in &per_doc {
            for &k in names.iter().chain(folder.iter()) {
                let root = find(&mut parent, k);
                let group = *group_of_root.entry(root).or_insert_with(|| {
                    members.push(Vec::new());
                    (members.len() - 1) as u32
                });
                let list = &mut members[group as usize];
                if list.last() != Some(id) {
                    list.push(*id);
                }
            }
        }
        let mut groups: HashMap<Box<str>, u32> = HashMap::with_capacity(ids.len());
        for (k, at) in ids {
            let root = find(&mut parent, at);
            if let Some(&group) = group_of_root.get(&root) {
                groups.insert(k.into_boxed_str(), group);
            }
        }
        for list in &mut members {
            list.shrink_to_fit();
        }
        Catalog { groups, members, authors }
    }

    /// The documents `name` names, in id order; empty when it names none.
    pub fn documents(&self, name: &str) -> Vec<u32> {
        let key = key(name);
        if key.len() < 2 {
            return Vec::new();
        }
        let mut out: Vec<u32> = self.groups.get(key.as_str()).map_or(Vec::new(), |&g| self.members[g as usize].clone());
        if let Some(written) = self.authors.get(key.as_str()) {
            out.extend(written);
            out.sort_unstable();
            out.dedup();
        }
        out
    }
}

fn find(parent: &mut [usize], mut k: usize) -> usize {
    while parent[k] != k {
        parent[k] = parent[parent[k]];
        k = parent[k];
    }
    k
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    if a != b {
        // The lower id is the root, so the result does not depend on the order of unions.
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        parent[child] = root;
    }
}

/// The names a document's publication goes by: its publisher, its site, its title's suffix,
/// and the initials of names of several words.
fn publication_keys(d: &DocumentInfo, out: &mut Vec<String>) {
    let add = |name: &str, out: &mut Vec<String>| {
        out.push(key(name));
        if let Some(initials) = initials(name) {
            out.push(initials);
        }
    };
    if let Some(publisher) = &d.publisher {
        add(publisher, out);
    }
    if let Some(site) = d.url.as_deref().and_then(site) {
        let k = key(site);
        // `theverge.com` is also `verge`.
        if let Some(rest) = k.strip_prefix("the").filter(|r| r.len() >= 3) {
            out.push(rest.to_string());
        }
        out.push(k);
    }
    if let Some(suffix) = title_suffix(&d.title) {
        add(suffix, out);
    }
    out.retain(|k| k.len() >= 2);
}

/// A document's writers: each one's full name, and surname.
fn author_keys(d: &DocumentInfo, out: &mut Vec<String>) {
    let Some(authors) = &d.author else { return };
    for author in authors.split([',', ';', '&']).flat_map(|a| a.split(" and ")).map(str::trim).filter(|a| !a.is_empty()) {
        out.push(key(author));
        // A writer is cited by surname ("Gurman reported").
        if let Some(surname) = author.split_whitespace().last().filter(|s| s.len() >= 4 && author.split_whitespace().count() > 1) {
            out.push(key(surname));
        }
    }
    out.retain(|k| k.len() >= 2);
}

/// A name as a key: letters and digits, lower case, a leading "The" dropped when it is a word
/// of its own or runs into a capital (`The Verge`, `TheVerge`), not in `Theranos`.
pub fn key(name: &str) -> String {
    let squashed: String = name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    let trimmed = name.trim_start();
    let leading_the = trimmed.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("the ")) || (trimmed.starts_with("The") && trimmed[3..].chars().next().is_some_and(char::is_uppercase));
    match squashed.strip_prefix("the") {
        Some(rest) if leading_the && !rest.is_empty() => rest.to_string(),
        _ => squashed,
    }
}

/// The initials of a name of two to five capitalised words, as a key (`The Next Web` is
/// `tnw`, `Financial Times` is `ft`).
fn initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 || words.len() > 5 || !words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase)) {
        return None;
    }
    Some(words.iter().filter_map(|w| w.chars().next()).flat_map(char::to_lowercase).collect())
}

/// The site a URL is on: `bloomberg` for `https://www.bloomberg.com/news/...`, `bbc` for
/// `bbc.co.uk`.
pub fn site(url: &str) -> Option<&str> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    if n < 2 {
        return None;
    }
    let label = if n >= 3 && SECOND_LEVEL.contains(&labels[n - 2]) && labels[n - 1].len() == 2 { labels[n - 3] } else { labels[n - 2] };
    (label.len() >= 2).then_some(label)
}

/// The site's name after the last separator of a title ("... | VentureBeat", "... - The
/// Verge"): a few words, the first capitalised.
pub fn title_suffix(title: &str) -> Option<&str> {
    let at = [" | ", " - ", " – ", " — "].iter().filter_map(|sep| title.rfind(sep).map(|i| (i, sep.len()))).max_by_key(|(i, _)| *i)?;
    let suffix = title[at.0 + at.1..].trim();
    let words = suffix.split_whitespace().count();
    ((1..=SUFFIX_WORDS).contains(&words) && suffix.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())).then_some(suffix)
}

/// The folder a document sits in, unless its name is a generic one.
fn folder(path: &str) -> Option<&str> {
    let mut parts = path.rsplit(['/', '\\']);
    parts.next()?;
    let folder = parts.next()?;
    (!folder.is_empty() && !folder.starts_with('.') && !GENERIC_FOLDERS.contains(&folder.to_ascii_lowercase().as_str())).then_some(folder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Fingerprint;
    use crate::prose::Format;

    fn info(path: &str, title: &str, url: Option<&str>, publisher: Option<&str>, author: Option<&str>) -> DocumentInfo {
        DocumentInfo {
            path: path.into(),
            disk_path: None,
            format: Format::PlainText,
            title: title.into(),
            url: url.map(Into::into),
            publisher: publisher.map(Into::into),
            date: None,
            author: author.map(Into::into),
            fingerprint: Fingerprint { size: 0, mtime_ns: 0, hash: 0 },
            live: true,
        }
    }

    #[test]
    fn names_are_keys_without_case_spaces_or_a_leading_the() {
        let cases = [
            ("The Next Web", "nextweb"),
            ("thenextweb", "thenextweb"),
            ("TheNextWeb", "nextweb"),
            ("Bloomberg", "bloomberg"),
            ("MIT Technology Review", "mittechnologyreview"),
            ("Theranos", "theranos"),
            ("The Verge", "verge"),
            ("WIRED", "wired"),
        ];
        for (name, want) in cases {
            assert_eq!(key(name), want, "{name}");
        }
    }

    #[test]
    fn sites_and_title_suffixes_name_the_publication() {
        let sites = [
            ("https://www.bloomberg.com/news/articles/2024-01-01/x", Some("bloomberg")),
            ("https://edition.cnn.com/2024/x", Some("cnn")),
            ("http://news.bbc.co.uk/x", Some("bbc")),
            ("venturebeat.com/ai/x", Some("venturebeat")),
            ("localhost", None),
        ];
        for (url, want) in sites {
            assert_eq!(site(url), want, "{url}");
        }
        let titles = [
            ("How Nvidia dominated AI | VentureBeat", Some("VentureBeat")),
            ("Humane launches the AI Pin - The Verge", Some("The Verge")),
            ("AI can’t replace doctors. But it can make them better. | MIT Technology Review", Some("MIT Technology Review")),
            ("GPT-4 is here", None),
            ("A long title - with a lower-case tail", None),
        ];
        for (title, want) in titles {
            assert_eq!(title_suffix(title), want, "{title}");
        }
    }

    #[test]
    fn a_document_is_found_by_publisher_site_title_folder_and_author() {
        let documents = vec![
            info("corpus/bloomberg/1.md", "Chips sell out", Some("https://www.bloomberg.com/news/1"), Some("Bloomberg News"), Some("Mark Gurman")),
            info("crawl/vox/2.txt", "Anthropic's money", None, None, None),
            info("crawl/3.txt", "Inside the new Pi | The Next Web", None, None, None),
            info("sources/4.txt", "A report", None, Some("Financial Times"), Some("Jane Doe, John Roberts")),
        ];
        let catalog = Catalog::build(&documents);
        let cases: [(&str, &[u32]); 12] = [
            ("Bloomberg", &[0]),
            ("Bloomberg News", &[0]),
            ("Mark Gurman", &[0]),
            ("Gurman", &[0]),
            ("Vox", &[1]),
            ("The Next Web", &[2]),
            ("TNW", &[2]),
            ("Financial Times", &[3]),
            ("FT", &[3]),
            ("Roberts", &[3]),
            ("Reuters", &[]),
            ("sources", &[]),
        ];
        for (name, want) in cases {
            assert_eq!(catalog.documents(name), want, "{name}");
        }
    }

    /// A folder is a publication's when nearly all its named documents name that publication:
    /// `thenextweb/` holds TNW's articles, titled "| TNW" or not; a crawl of several sites in
    /// one folder joins none of them.
    #[test]
    fn a_folder_joins_the_publication_its_titles_name() {
        let documents = vec![
            info("ai/thenextweb/1.txt", "DeepMind says new AI is the most accurate forecaster", None, None, None),
            info("ai/thenextweb/2.txt", "Deepmind News | TNW", None, None, None),
            info("ai/thenextweb/3.txt", "AI godfather quits | TNW", None, None, None),
            info("crawl/4.txt", "Chips sell out | VentureBeat", None, None, None),
            info("crawl/5.txt", "Robots rise | WIRED", None, None, None),
            info("crawl/6.txt", "An untitled page", None, None, None),
        ];
        let catalog = Catalog::build(&documents);
        let cases: [(&str, &[u32]); 5] = [("TNW", &[0, 1, 2]), ("The Next Web", &[0, 1, 2]), ("VentureBeat", &[3]), ("Wired", &[4]), ("crawl", &[3, 4, 5])];
        for (name, want) in cases {
            assert_eq!(catalog.documents(name), want, "{name}");
        }
    }
}
