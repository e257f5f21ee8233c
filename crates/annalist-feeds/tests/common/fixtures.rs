//! Fixture feeds and pages, written for these tests (invented places and events).
#![allow(dead_code)]

pub struct FixtureItem<'a> {
    pub guid: Option<&'a str>,
    pub link: Option<&'a str>,
    pub title: &'a str,
    pub description: &'a str,
    pub pub_date: Option<&'a str>,
}

pub fn rss(title: &str, items: &[FixtureItem]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>http://example.org/</link><description>test feed</description><lastBuildDate>Mon, 03 Mar 2025 09:00:00 GMT</lastBuildDate>\n"
    );
    for i in items {
        s.push_str("<item>");
        s.push_str(&format!("<title>{}</title>", i.title));
        if let Some(g) = i.guid {
            s.push_str(&format!("<guid isPermaLink=\"false\">{g}</guid>"));
        }
        if let Some(l) = i.link {
            s.push_str(&format!("<link>{l}</link>"));
        }
        s.push_str(&format!(
            "<description><![CDATA[{}]]></description>",
            i.description
        ));
        if let Some(d) = i.pub_date {
            s.push_str(&format!("<pubDate>{d}</pubDate>"));
        }
        s.push_str("</item>\n");
    }
    s.push_str("</channel></rss>\n");
    s
}

pub fn item<'a>(
    guid: &'a str,
    title: &'a str,
    description: &'a str,
    pub_date: Option<&'a str>,
) -> FixtureItem<'a> {
    FixtureItem {
        guid: Some(guid),
        link: None,
        title,
        description,
        pub_date,
    }
}

pub const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Lakeside Courier</title>
  <id>urn:uuid:feed-lakeside</id>
  <updated>2025-05-02T08:00:00Z</updated>
  <entry>
    <title>Ferry strike ends</title>
    <id>urn:uuid:entry-ferry</id>
    <link rel="alternate" href="https://courier.example.net/ferry"/>
    <published>2025-05-01T17:30:00Z</published>
    <updated>2025-05-02T08:00:00Z</updated>
    <content type="html">&lt;p&gt;Ferry workers in Norland ended their strike on Thursday.&lt;/p&gt;&lt;p&gt;The union said crossings resume at dawn.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Bridge inspection</title>
    <id>urn:uuid:entry-bridge</id>
    <updated>2025-04-30T10:00:00Z</updated>
    <summary>Engineers inspected the old bridge over the river.</summary>
  </entry>
</feed>
"#;

/// An article page with navigation, scripts and a footer around the story.
pub fn article_html(title: &str, published: Option<&str>, paragraphs: &[&str]) -> String {
    let meta = published
        .map(|d| format!("<meta property=\"article:published_time\" content=\"{d}\">"))
        .unwrap_or_default();
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html><head><title>{title} | Valley Gazette</title>{meta}\
<meta property=\"og:site_name\" content=\"Valley Gazette\">\
<script>var tracker = 'do not read me';</script><style>p {{ color: black; }}</style></head>\
<body><nav class=\"menu\"><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li><li><a href=\"/sport\">Sport</a></li></ul></nav>\
<div class=\"share\">Share this story on social media</div>\
<article><h1>{title}</h1>\n{body}</article>\
<aside class=\"sidebar\"><h3>Most read</h3><ul><li><a href=\"/a\">Cat rescued from tree</a></li></ul></aside>\
<footer class=\"footer\">Copyright Valley Gazette. All rights reserved. Subscribe to our newsletter.</footer></body></html>"
    )
}

pub const PARAGRAPHS: &[&str] = &[
    "The harbour council of Westmere voted on Tuesday to reopen the northern pier to fishing boats after a month of repairs, officials said.",
    "Crews replaced the damaged pilings and rebuilt the loading ramp, which storms had torn away in early spring. The council thanked the engineers who worked through several weekends.",
    "Fishermen welcomed the decision but asked the council to lower the mooring fees, which they said had doubled since last year. A spokesperson said the fees would be reviewed at the next meeting.",
    "The southern pier stays closed while divers survey its foundations. Officials expect that survey to finish before the summer season begins.",
];

pub const NO_ARTICLE_HTML: &str = "<!DOCTYPE html><html><head><title>Index</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/x\">News</a></nav><ul><li><a href=\"/1\">One</a></li><li><a href=\"/2\">Two</a></li></ul><footer>All rights reserved.</footer></body></html>";
