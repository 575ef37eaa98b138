//! The shared parts of a list page (issue 14.6): the filters kept in the address as a query,
//! links to the pages before and after, and column headings that sort.

use khien_store::Page;

/// A list's filters as they go into its links: only the ones set, URL-encoded.
#[derive(Default, Clone)]
pub(super) struct LinkQuery(Vec<(&'static str, String)>);

impl LinkQuery {
    /// Adds a filter when it has a value.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> LinkQuery {
        let value = value.into();
        if !value.trim().is_empty() {
            self.0.push((name, value));
        }
        self
    }

    /// The query string (`a=1&b=x`), empty when no filter is set.
    pub fn encoded(&self) -> String {
        self.0.iter().map(|(k, v)| format!("{k}={}", super::q(v))).collect::<Vec<_>>().join("&")
    }

    pub fn href(&self, path: &str, extra: &[(&'static str, &str)]) -> String {
        let mut all = self.clone();
        for (k, v) in extra {
            all = all.with(k, *v);
        }
        let query = all.encoded();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }
}

/// Links to the first, previous and next page of a list, with its filters and order.
pub(super) struct Pager {
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `query` holds the filters and the order (no cursor); `page` is the page shown.
    pub fn new<T>(path: &str, query: &LinkQuery, page: &Page<T>) -> Pager {
        let at = |cursor: &str| query.href(path, &[("cursor", cursor)]);
        let prev = page.prev_cursor.as_deref().map(at);
        let first = page.prev_cursor.as_deref().filter(|c| !c.is_empty()).map(|_| query.href(path, &[]));
        Pager { first, prev, next: page.next_cursor.as_deref().map(at) }
    }

    /// Pages of a list held whole in memory (the overview's units, a catalogue's lines), by
    /// number: `cursor` is the page's index, none for the first. Gives the pager and the range
    /// of items page `cursor` shows.
    pub fn numbered(
        path: &str,
        query: &LinkQuery,
        cursor: Option<&str>,
        len: usize,
        per_page: usize,
    ) -> (Pager, std::ops::Range<usize>) {
        let pages = len.div_ceil(per_page.max(1)).max(1);
        let at = cursor.and_then(|c| c.parse::<usize>().ok()).unwrap_or(0).min(pages - 1);
        let page: Page<()> = Page {
            items: Vec::new(),
            next_cursor: (at + 1 < pages).then(|| (at + 1).to_string()),
            total: None,
            prev_cursor: (at > 0).then(|| if at == 1 { String::new() } else { (at - 1).to_string() }),
        };
        let start = at * per_page;
        (Pager::new(path, query, &page), start..(start + per_page).min(len))
    }

    pub fn is_empty(&self) -> bool {
        self.prev.is_none() && self.next.is_none()
    }
}

/// Column headings that sort the list: each links to the list in its order, or, when it is the
/// order already, in the other direction.
pub(super) struct Sorts {
    path: &'static str,
    /// The filters without the order.
    query: LinkQuery,
    /// The order shown, as the address gives it (`code`, `-detected`).
    current: String,
}

/// One sorting heading.
pub(super) struct SortLink {
    pub href: String,
    /// " ▲" or " ▼" on the column the list is sorted by.
    pub mark: &'static str,
    /// `ascending`, `descending` or `none`, for screen readers.
    pub aria: &'static str,
}

impl Sorts {
    pub fn new(path: &'static str, query: &LinkQuery, current: &str) -> Sorts {
        Sorts { path, query: query.clone(), current: current.to_string() }
    }

    /// The heading of column `key`, written `-key` when its first click sorts descending.
    pub fn link(&self, key: &str) -> SortLink {
        let name = key.trim_start_matches('-');
        let (on, descending) = match self.current.strip_prefix('-') {
            Some(current) => (current == name, true),
            None => (self.current == name, false),
        };
        let next = match (on, descending) {
            (true, false) => format!("-{name}"),
            (true, true) => name.to_string(),
            (false, _) => key.to_string(),
        };
        let (mark, aria) = match (on, descending) {
            (false, _) => ("", "none"),
            (true, false) => (" ▲", "ascending"),
            (true, true) => (" ▼", "descending"),
        };
        SortLink { href: self.query.href(self.path, &[("sort", &next)]), mark, aria }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(prev: Option<&str>, next: Option<&str>) -> Page<i64> {
        Page {
            items: vec![],
            next_cursor: next.map(str::to_string),
            total: None,
            prev_cursor: prev.map(str::to_string),
        }
    }

    #[test]
    fn pager_keeps_the_filters_and_knows_the_first_page() {
        let q = LinkQuery::default().with("q", "hộ tịch").with("status", "").with("sort", "code");
        let p = Pager::new("/systems", &q, &page(Some(""), Some("abc")));
        assert_eq!(p.prev.as_deref(), Some("/systems?q=h%E1%BB%99%20t%E1%BB%8Bch&sort=code"));
        assert_eq!(p.first, None, "the page before is the first: no separate link");
        assert_eq!(p.next.as_deref(), Some("/systems?q=h%E1%BB%99%20t%E1%BB%8Bch&sort=code&cursor=abc"));
        let p = Pager::new("/systems", &LinkQuery::default(), &page(Some("xyz"), None));
        assert_eq!((p.first.as_deref(), p.prev.as_deref()), (Some("/systems"), Some("/systems?cursor=xyz")));
        assert!(Pager::new("/systems", &LinkQuery::default(), &page(None, None)).is_empty());
    }

    #[test]
    fn numbered_pages_cover_the_list_once() {
        let q = LinkQuery::default().with("level", "3");
        let (p, range) = Pager::numbered("/catalogues/7", &q, None, 650, 300);
        assert_eq!((range, p.prev, p.next.as_deref()), (0..300, None, Some("/catalogues/7?level=3&cursor=1")));
        let (p, range) = Pager::numbered("/catalogues/7", &q, Some("2"), 650, 300);
        assert_eq!((range, p.prev.as_deref(), p.next), (600..650, Some("/catalogues/7?level=3&cursor=1"), None));
        let (p, range) = Pager::numbered("/catalogues/7", &q, Some("1"), 650, 300);
        assert_eq!((range, p.prev.as_deref()), (300..600, Some("/catalogues/7?level=3")), "back to the first page");
        let (_, range) = Pager::numbered("/x", &q, Some("99"), 650, 300);
        assert_eq!(range, 600..650, "a page past the end shows the last");
        let (p, range) = Pager::numbered("/x", &q, None, 0, 300);
        assert!(p.is_empty() && range.is_empty());
    }

    #[test]
    fn a_heading_sorts_by_its_column_then_reverses() {
        let q = LinkQuery::default().with("state", "triaged");
        let s = Sorts::new("/incidents", &q, "-id");
        assert_eq!(s.link("-detected").href, "/incidents?state=triaged&sort=-detected");
        assert_eq!(s.link("-detected").aria, "none");
        let on = s.link("id");
        assert_eq!((on.href.as_str(), on.mark, on.aria), ("/incidents?state=triaged&sort=id", " ▼", "descending"));
        let s = Sorts::new("/systems", &LinkQuery::default(), "code");
        assert_eq!(s.link("code").href, "/systems?sort=-code");
    }
}
