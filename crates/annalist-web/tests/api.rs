//! API tests: every endpoint on a database coded from `fixtures/docs.jsonl`, bad
//! parameters (400 with a JSON message), unknown ids (404), the write token (403 without
//! or with a wrong one, 200 with it), the body limit, and the page's handling of text.
mod common;

use annalist_web::{router, Config};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

struct App {
    _dir: tempfile::TempDir,
    router: axum::Router,
}

fn app_with(token: Option<&str>, config: Config) -> App {
    let dir = tempfile::tempdir().unwrap();
    let state = common::state(dir.path(), token, config);
    App {
        _dir: dir,
        router: router(state),
    }
}

fn app() -> App {
    app_with(None, Config::default())
}

impl App {
    async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, headers, body)
    }

    async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let (s, h, b) = self
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        assert!(
            h[axum::http::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{uri}: not JSON"
        );
        (s, serde_json::from_slice(&b).unwrap())
    }

    async fn ok(&self, uri: &str) -> Value {
        let (s, v) = self.get(uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {v}");
        v
    }

    async fn post(&self, uri: &str, auth: Option<&str>, body: &str) -> (StatusCode, Value) {
        let mut req = Request::post(uri).header("content-type", "application/json");
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let (s, _, b) = self
            .send(req.body(Body::from(body.to_string())).unwrap())
            .await;
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }
}

fn ids(page: &Value) -> Vec<i64> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn events_page_filter_and_count() {
    let app = app();
    let stats = app.ok("/api/stats").await;
    let all = app.ok("/api/events?limit=500").await;
    assert_eq!(all["total"], stats["events"]);
    let total = all["total"].as_u64().unwrap() as usize;
    assert_eq!(ids(&all).len(), total);
    // 12 records (a meeting of two parties is one mutual record; "Ukraine accused Russia
    // of violating the truce" is an accusation and the alleged violation it speaks
    // about), the two reports of the Kharkiv shelling fold into one event.
    assert_eq!(stats["mentions"], 12);
    assert_eq!(total, 11);
    // Dates ascending.
    let dates: Vec<_> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);

    // Paging.
    let p1 = app.ok("/api/events?limit=5").await;
    assert_eq!(ids(&p1), ids(&all)[..5]);
    assert_eq!(p1["next_offset"], 5);
    let p3 = app.ok("/api/events?limit=6&offset=5").await;
    assert_eq!(ids(&p3), ids(&all)[5..]);
    assert!(p3.get("next_offset").is_none());
    let past = app.ok("/api/events?offset=1000").await;
    assert_eq!(past["total"], 11);
    assert!(ids(&past).is_empty());

    // Filters.
    let assault = app.ok("/api/events?type=assault").await;
    assert_eq!(assault["total"], 3);
    let kharkiv = app.ok("/api/events?location=Kharkiv").await;
    assert_eq!(kharkiv["total"], 1);
    assert_eq!(kharkiv["events"][0]["mentions"], 2);
    assert_eq!(kharkiv["events"][0]["source_actor"], "RUSMIL");
    let pair = app.ok("/api/events?pair=UKR,RUS").await;
    for e in pair["events"].as_array().unwrap() {
        let s = e["source_actor"].as_str().unwrap();
        let t = e["target_actor"].as_str().unwrap();
        assert!(
            (s.starts_with("UKR") && t.starts_with("RUS"))
                || (s.starts_with("RUS") && t.starts_with("UKR"))
        );
    }
    assert_eq!(pair["total"], 3);
    let actor = app.ok("/api/events?actor=isr").await;
    assert_eq!(actor["total"], 2);
    let quad = app.ok("/api/events?quad=4").await;
    assert!(quad["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["quad_class"] == 4));
    let march = app.ok("/api/events?from=2025-03-01&to=2025-03-31").await;
    let april = app.ok("/api/events?from=2025-04-01").await;
    assert_eq!(
        march["total"].as_u64().unwrap() + april["total"].as_u64().unwrap(),
        11
    );
    let none = app.ok("/api/events?actor=ZZZ").await;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_message() {
    let app = app();
    for uri in [
        "/api/events?quad=9",
        "/api/events?quad=x",
        "/api/events?from=2025-13-01",
        "/api/events?from=2025-04-01&to=2025-03-01",
        "/api/events?limit=100000",
        "/api/events?limit=-1",
        "/api/events?offset=abc",
        "/api/events?colour=red",
        "/api/events?actor=RUS&actor=UKR",
        "/api/events?pair=RUS",
        "/api/events?actor=R%27%3B--",
        "/api/events?type=INVADE",
        "/api/events/abc",
        "/api/events/-3",
        "/api/timeline?quad=0",
        "/api/dyads?pair=RUS,UKR&by=year",
        "/api/dyads?pair=,UKR",
        "/api/actors?limit=3",
        "/api/events?min_confidence=1.5",
        "/api/events?min_confidence=high",
        "/api/timeline?min_confidence=-0.1",
        "/api/dyads?min_confidence=2",
        "/api/events?attribution=rumoured",
        "/api/timeline?attribution=asserted,guessed",
        "/api/dyads?attribution=claimed,",
    ] {
        let (s, v) = app.get(uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert!(
            v["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{uri}: {v}"
        );
    }
    let (s, v) = app.get("/api/events?colour=red").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("colour"));
}

#[tokio::test]
async fn unknown_ids_are_404() {
    let app = app();
    for uri in [
        "/api/events/999999",
        "/api/documents/no-such-document",
        "/api/nothing-here",
    ] {
        let (s, v) = app.get(uri).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}: {v}");
        assert!(v["error"].as_str().is_some(), "{uri}");
    }
}

#[tokio::test]
async fn event_with_mentions_and_evidence() {
    let app = app();
    let kharkiv = app.ok("/api/events?location=Kharkiv").await;
    let id = kharkiv["events"][0]["event"].as_i64().unwrap();
    let d = app.ok(&format!("/api/events/{id}")).await;
    assert_eq!(d["event"]["event"], id);
    let mentions = d["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 2);
    assert_eq!(mentions[0]["doc_id"], "web-1");
    assert_eq!(mentions[1]["doc_id"], "web-2");
    let m = &mentions[0];
    let kinds: Vec<(&str, &str)> = m["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["kind"].as_str().unwrap(), h["text"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("source", "Russian forces")), "{kinds:?}");
    assert!(kinds.contains(&("trigger", "shelled")), "{kinds:?}");
    assert!(kinds.contains(&("place", "Kharkiv")), "{kinds:?}");
    assert!(kinds.contains(&("date", "on Monday")), "{kinds:?}");
    assert!(kinds.iter().any(|(k, _)| *k == "target"), "{kinds:?}");
    // The snippet is the first sentence, cut into highlighted segments.
    let snippet: String = m["snippet"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        snippet,
        "Russian forces shelled the Ukrainian city of Kharkiv on Monday."
    );
    assert_eq!(m["snippet"]["start"], 0);
    let trigger = m["snippet"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"] == "shelled")
        .unwrap();
    assert_eq!(trigger["kinds"], serde_json::json!(["trigger"]));
    assert_eq!(m["record"]["evidence"]["start"], 15);
}

#[tokio::test]
async fn timeline_counts_days_by_quad() {
    let app = app();
    let t = app.ok("/api/timeline").await;
    let days = t["days"].as_array().unwrap();
    let sum: i64 = days.iter().map(|d| d["events"].as_i64().unwrap()).sum();
    assert_eq!(sum, 11);
    assert_eq!(t["total"], 11);
    assert_eq!(t["undated"], 0);
    for d in days {
        let q: i64 = d["quad"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_i64().unwrap())
            .sum();
        assert_eq!(q, d["events"].as_i64().unwrap());
    }
    let march3 = days.iter().find(|d| d["date"] == "2025-03-03").unwrap();
    assert_eq!(march3["quad"], serde_json::json!([0, 0, 0, 1]));
    let filtered = app.ok("/api/timeline?type=ASSAULT").await;
    assert_eq!(filtered["total"], 3);
}

#[tokio::test]
async fn dyads_and_actors() {
    let app = app();
    let d = app.ok("/api/dyads?pair=RUS,UKR&by=month").await;
    assert_eq!(d["by"], "month");
    let rows = d["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let events: i64 = rows.iter().map(|r| r["events"].as_i64().unwrap()).sum();
    assert_eq!(events, 4);
    assert!(rows
        .iter()
        .any(|r| r["period"] == "2025-03" && r["source"] == "RUS" && r["target"] == "UKR"));
    let by_day = app.ok("/api/dyads?pair=RUS,UKR&by=day").await;
    assert!(by_day["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["period"] == "2025-03-03"));
    let week = app.ok("/api/dyads?by=week").await;
    assert!(!week["rows"].as_array().unwrap().is_empty());
    let a = app.ok("/api/actors").await;
    let actors = a["actors"].as_array().unwrap();
    let rusmil = actors.iter().find(|x| x["actor"] == "RUSMIL").unwrap();
    assert_eq!(rusmil["events"], 1);
    assert!(actors.iter().any(|x| x["actor"] == "UKRGOV"));
}

#[tokio::test]
async fn document_view_keeps_text_raw_and_segments_it() {
    let app = app();
    let d = app.ok("/api/documents/web-script").await;
    let text = d["text"].as_str().unwrap();
    assert!(text.contains("<script>window.__pwned = 'text'</script>"));
    let joined: String = d["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(joined, text);
    assert_eq!(d["records"].as_array().unwrap().len(), 1);
    assert!(d["records"][0]["event"].as_i64().is_some());
    assert_eq!(
        d["title"], "<script>window.__pwned = 'title'</script>",
        "stored as given; the page shows it as text"
    );
    // Ids with spaces and slashes are path-encoded.
    let (s, _) = app.get("/api/documents/web%2F1").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn code_endpoint_codes_without_storing() {
    let app = app();
    let (s, v) = app
        .post(
            "/api/code",
            None,
            r#"{"text": "Turkish troops shelled the Syrian town of Afrin on Friday.", "date": "2025-06-02"}"#,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let records = v["records"].as_array().unwrap();
    assert!(!records.is_empty(), "{v}");
    assert_eq!(records[0]["record"]["event_type"], "ASSAULT");
    assert_eq!(records[0]["record"]["source"]["code"], "TUR");
    assert_eq!(records[0]["record"]["date"], "2025-05-30");
    assert!(v["segments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["text"] == "shelled" && s["kinds"] == serde_json::json!(["trigger"])));
    // Nothing stored.
    let stats = app.ok("/api/stats").await;
    assert_eq!(stats["events"], 11);
    for body in [
        "not json",
        r#"{"txt": "x"}"#,
        r#"{"text": "x", "date": "June 2"}"#,
        "[1,2]",
    ] {
        let (s, v) = app.post("/api/code", None, body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert!(v["error"].is_string());
    }
}

#[tokio::test]
async fn writing_is_forbidden_without_a_configured_token() {
    let app = app();
    let doc = r#"{"id": "new-1", "date": "2025-05-01", "text": "Chile recalled its ambassador from Peru."}"#;
    for auth in [None, Some("Bearer anything")] {
        let (s, v) = app.post("/api/documents", auth, doc).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert!(v["error"].as_str().unwrap().contains("disabled"));
    }
}

#[tokio::test]
async fn writing_with_the_token() {
    let app = app_with(Some("tok-3f9a"), Config::default());
    let lines = concat!(
        r#"{"id": "new-1", "date": "2025-05-01", "text": "Chile recalled its ambassador from Peru."}"#,
        "\n",
        r#"{"id": "new-2", "date": "2025-05-02", "text": "Indian troops fired on Pakistani positions in Kashmir on Thursday."}"#,
        "\n",
        r#"{"id": 7}"#,
        "\n"
    );
    for auth in [
        None,
        Some("Bearer tok-3f9b"),
        Some("Bearer tok-3f9"),
        Some("Bearer tok-3f9a0"),
        Some("Basic tok-3f9a"),
    ] {
        let (s, v) = app.post("/api/documents", auth, lines).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{auth:?}: {v}");
    }
    let before = app.ok("/api/events?limit=1").await["total"]
        .as_u64()
        .unwrap();
    let (s, v) = app
        .post("/api/documents", Some("Bearer tok-3f9a"), lines)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["added"], 2);
    assert_eq!(v["rejected"].as_array().unwrap().len(), 1);
    assert!(v["rejected"][0]
        .as_str()
        .unwrap()
        .starts_with("<request>:3:"));
    // The cached answers see the new events.
    let after = app.ok("/api/events?limit=1").await["total"]
        .as_u64()
        .unwrap();
    assert!(after > before, "{before} -> {after}");
    assert_eq!(app.ok("/api/stats").await["documents"], 8);
    app.ok("/api/documents/new-2").await;
    // A JSON array; the same documents again change nothing.
    let array = r#"[{"id": "new-1", "date": "2025-05-01", "text": "Chile recalled its ambassador from Peru."}]"#;
    let (s, v) = app
        .post("/api/documents", Some("Bearer tok-3f9a"), array)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["unchanged"], 1);
    let (s, v) = app
        .post("/api/documents", Some("Bearer tok-3f9a"), "[{\"id\": 1}]")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let app = app_with(
        Some("tok"),
        Config {
            max_body_bytes: 1024,
            ..Config::default()
        },
    );
    let big = format!(r#"{{"text": "{}"}}"#, "a ".repeat(2000));
    let (s, _) = app.post("/api/code", None, &big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let (s, _) = app.post("/api/documents", Some("Bearer tok"), &big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn page_and_assets_are_served_with_a_strict_policy() {
    let app = app();
    for (uri, ty) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
    ] {
        let (s, h, b) = app
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(h["content-type"].to_str().unwrap().starts_with(ty));
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(!b.is_empty());
    }
    let (_, _, html) = app
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    let html = String::from_utf8(html).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no CDN"
    );
}

/// The escaping rule, checked on the script itself: document text reaches the page only
/// through `textContent` and text nodes, never through an HTML parser. (The browser test
/// feeds a document with `<script>` and `<img onerror>` and checks that nothing ran.)
#[test]
fn the_page_never_parses_data_as_html() {
    let js = annalist_web::app_js();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "DOMParser",
        "createContextualFragment",
        "srcdoc",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
    assert!(js.contains("textContent"));
}

/// Another process (here: another connection) ingesting while the server runs: the
/// cached answers and the filter index follow.
#[tokio::test]
async fn answers_follow_writes_by_other_connections() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::state(dir.path(), None, Config::default());
    let app = App {
        router: router(state),
        _dir: dir,
    };
    assert_eq!(app.ok("/api/events?actor=CHL").await["total"], 0);
    assert_eq!(app.ok("/api/timeline?actor=CHL").await["total"], 0);
    let path = app._dir.path().join("test.db");
    let mut store = annalist_store::Store::open(&path, &Default::default()).unwrap();
    let doc = annalist_coder::Document::new(
        "later-1",
        "Chile recalled its ambassador from Peru on Friday.",
        chrono::NaiveDate::from_ymd_opt(2025, 5, 3),
    );
    let records = common::coder().code(&doc);
    assert!(!records.is_empty());
    store.ingest(&doc, &records).unwrap();
    drop(store);
    assert!(
        app.ok("/api/events?actor=CHL").await["total"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert!(
        app.ok("/api/timeline?actor=CHL").await["total"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(app.ok("/api/stats").await["documents"], 7);
}

/// Adds a document with two records as the coder marks a speech act: a confident
/// accusation by Ukraine (position 0) about an alleged, less confident Russian attack
/// that killed four (position 1). The records are made from the coder's record of the
/// accusation, the fields of issue 19 set by hand.
fn add_accusation(db: &std::path::Path) {
    let doc = annalist_model::Document {
        id: "web-accuse".into(),
        text: "Ukraine accused Russia of violating the truce, officials said.".into(),
        date: chrono::NaiveDate::from_ymd_opt(2025, 5, 2),
        title: None,
        url: None,
        source: Some("Wire E".into()),
        date_basis: None,
    };
    let accuse = common::coder()
        .code(&doc)
        .into_iter()
        .find(|r| r.event_type == "ACCUSE")
        .expect("the accusation codes");
    let mut attack = accuse.clone();
    attack.event_type = "ASSAULT".into();
    attack.cameo = "190".into();
    attack.quad_class = 4;
    std::mem::swap(&mut attack.source, attack.target.as_mut().unwrap());
    attack.attribution = "alleged".into();
    attack.reported_by = None;
    attack.about = Vec::new();
    attack.confidence = Some(0.3);
    attack.casualties = vec![annalist_model::Casualty {
        kind: "killed".into(),
        count: 4,
        high: None,
        who: Some("civilians".into()),
        text: "four civilians".into(),
        start: 0,
        end: 7,
    }];
    let mut accuse = accuse;
    accuse.attribution = "asserted".into();
    accuse.reported_by = None;
    accuse.confidence = Some(0.9);
    accuse.about = vec![1];
    let mut store =
        annalist_store::Store::open(db, &annalist_store::OpenOptions::default()).unwrap();
    store.ingest(&doc, &[accuse, attack]).unwrap();
}

#[tokio::test]
async fn claims_confidence_casualties_and_linked_speech_acts() {
    let app = app();
    add_accusation(&app._dir.path().join("test.db"));
    let doc = app.ok("/api/documents/web-accuse").await;
    let event_of = |i: usize| doc["records"][i]["event"].as_i64().unwrap();
    let (accuse_id, attack_id) = (event_of(0), event_of(1));
    let all = app.ok("/api/events?limit=500").await;
    let events = all["events"].as_array().unwrap();
    let find = |id: i64| events.iter().find(|e| e["event"] == id).unwrap().clone();
    let (accuse, attack) = (find(accuse_id), find(attack_id));
    assert_eq!(accuse["confidence"], 0.9);
    assert_eq!(attack["confidence"], 0.3);
    assert_eq!(attack["attribution"], "alleged");
    assert_eq!(attack["killed"], 4);
    // attribution=: the alleged attack goes, and only events of the listed kinds stay.
    let page = app
        .ok("/api/events?limit=500&attribution=asserted,reported")
        .await;
    let select = |keep: &dyn Fn(&Value) -> bool| -> Vec<i64> {
        events
            .iter()
            .filter(|e| keep(e))
            .map(|e| e["event"].as_i64().unwrap())
            .collect()
    };
    let expected = select(&|e| matches!(e["attribution"].as_str(), Some("asserted" | "reported")));
    assert_eq!(ids(&page), expected);
    assert!(!expected.contains(&attack_id) && expected.contains(&accuse_id));
    // min_confidence=: under 0.5 goes, no confidence stays.
    let page = app.ok("/api/events?limit=500&min_confidence=0.5").await;
    let expected = select(&|e| e["confidence"].as_f64().is_none_or(|c| c >= 0.5));
    assert_eq!(ids(&page), expected);
    assert!(!expected.contains(&attack_id) && expected.contains(&accuse_id));
    // The timeline and dyads take the same filters.
    let alleged: Vec<&Value> = events
        .iter()
        .filter(|e| e["attribution"] == "alleged")
        .collect();
    let t = app.ok("/api/timeline?attribution=alleged").await;
    assert_eq!(
        t["total"].as_u64().unwrap() + t["undated"].as_u64().unwrap(),
        alleged.len() as u64
    );
    // (dyads count the dated events with a target, a mutual one in both directions)
    let alleged: Vec<&Value> = alleged
        .into_iter()
        .filter(|e| e["date"].is_string() && e["target_code"].is_string())
        .collect();
    let directions = |e: &Value| if e["mutual"] == true { 2 } else { 1 };
    let d = app.ok("/api/dyads?attribution=alleged&by=month").await;
    let rows = d["rows"].as_array().unwrap();
    let sum = |rows: &[Value], k: &str| rows.iter().map(|r| r[k].as_i64().unwrap()).sum::<i64>();
    let killed: i64 = alleged
        .iter()
        .map(|e| e["killed"].as_i64().unwrap_or(0) * directions(e))
        .sum();
    assert!(killed >= 4);
    assert_eq!(sum(rows, "killed"), killed, "{d}");
    let count: i64 = alleged.iter().map(|e| directions(e)).sum();
    assert_eq!(sum(rows, "events"), count, "{d}");
    let all_rows = app.ok("/api/dyads?by=month").await;
    let confident = app.ok("/api/dyads?min_confidence=0.5&by=month").await;
    assert_eq!(
        sum(all_rows["rows"].as_array().unwrap(), "killed")
            - sum(confident["rows"].as_array().unwrap(), "killed"),
        4,
        "the unsure attack's dead are left out"
    );
    // The event view links the speech act and the event it speaks about, both ways.
    let a = app.ok(&format!("/api/events/{accuse_id}")).await;
    let about = &a["mentions"][0]["about"];
    assert_eq!(about[0]["event"], attack_id, "{a}");
    assert_eq!(about[0]["position"], 1);
    assert_eq!(about[0]["event_type"], "ASSAULT");
    assert_eq!(about[0]["attribution"], "alleged");
    let b = app.ok(&format!("/api/events/{attack_id}")).await;
    let by = &b["mentions"][0]["mentioned_by"];
    assert_eq!(by[0]["event"], accuse_id, "{b}");
    assert_eq!(by[0]["event_type"], "ACCUSE");
    assert!(b["mentions"][0]["about"].is_null());
}
