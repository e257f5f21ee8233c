//! A tiny HTTP/1.1 server on loopback for tests: serves fixture bodies by path and
//! misbehaves on request (status codes, hanging, huge bodies, ETags that change every
//! time). Each connection gets a thread; the server lives as long as the test process.
#![allow(dead_code)]
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub enum Reply {
    /// 200 with the body; with an ETag, a matching `If-None-Match` gets 304.
    Ok {
        body: Vec<u8>,
        content_type: &'static str,
        etag: Option<String>,
    },
    /// 200 with `Last-Modified`; a matching `If-Modified-Since` gets 304.
    LastModified {
        body: Vec<u8>,
        content_type: &'static str,
        last_modified: String,
    },
    /// 200 with a new ETag on every response, ignoring `If-None-Match`.
    FreshEtag {
        body: Vec<u8>,
        content_type: &'static str,
    },
    Status(u16),
    /// Reads the request and says nothing for this long.
    Hang(Duration),
    /// Announces 1 GB (Content-Length) and streams zeros.
    Huge,
    /// Streams zeros with no Content-Length until the client hangs up (up to 1 GB).
    HugeUnannounced,
    /// 302 to this location.
    Redirect(String),
}

#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
}

#[derive(Clone)]
pub struct Server {
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    hits: Arc<Mutex<Vec<Hit>>>,
    counter: Arc<Mutex<u64>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = Server {
            base,
            routes: Arc::default(),
            hits: Arc::default(),
            counter: Arc::default(),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.handle(stream));
            }
        });
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    pub fn ok(&self, path: &str, content_type: &'static str, body: impl Into<Vec<u8>>) {
        self.set(
            path,
            Reply::Ok {
                body: body.into(),
                content_type,
                etag: None,
            },
        );
    }

    pub fn hits(&self, path: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.path == path)
            .cloned()
            .collect()
    }

    fn handle(&self, stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let (mut inm, mut ims) = (None, None);
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "if-none-match" => inm = Some(v.trim().to_string()),
                    "if-modified-since" => ims = Some(v.trim().to_string()),
                    _ => {}
                }
            }
        }
        self.hits.lock().unwrap().push(Hit {
            path: path.clone(),
            if_none_match: inm.clone(),
            if_modified_since: ims.clone(),
        });
        let reply = self.routes.lock().unwrap().get(&path).cloned();
        let mut out = stream;
        let head = |status: &str, extra: &str, len: Option<usize>| {
            let len = len
                .map(|n| format!("Content-Length: {n}\r\n"))
                .unwrap_or_default();
            format!("HTTP/1.1 {status}\r\n{extra}{len}Connection: close\r\n\r\n")
        };
        let _ = match reply {
            None => out.write_all(head("404 Not Found", "", Some(0)).as_bytes()),
            Some(Reply::Ok {
                body,
                content_type,
                etag,
            }) => {
                if etag.is_some() && etag == inm {
                    out.write_all(head("304 Not Modified", "", Some(0)).as_bytes())
                } else {
                    let extra = format!(
                        "Content-Type: {content_type}\r\n{}",
                        etag.map(|e| format!("ETag: {e}\r\n")).unwrap_or_default()
                    );
                    out.write_all(head("200 OK", &extra, Some(body.len())).as_bytes())
                        .and_then(|_| out.write_all(&body))
                }
            }
            Some(Reply::LastModified {
                body,
                content_type,
                last_modified,
            }) => {
                if ims.as_deref() == Some(last_modified.as_str()) {
                    out.write_all(head("304 Not Modified", "", Some(0)).as_bytes())
                } else {
                    let extra = format!(
                        "Content-Type: {content_type}\r\nLast-Modified: {last_modified}\r\n"
                    );
                    out.write_all(head("200 OK", &extra, Some(body.len())).as_bytes())
                        .and_then(|_| out.write_all(&body))
                }
            }
            Some(Reply::FreshEtag { body, content_type }) => {
                let n = {
                    let mut c = self.counter.lock().unwrap();
                    *c += 1;
                    *c
                };
                let extra = format!("Content-Type: {content_type}\r\nETag: \"v{n}\"\r\n");
                out.write_all(head("200 OK", &extra, Some(body.len())).as_bytes())
                    .and_then(|_| out.write_all(&body))
            }
            Some(Reply::Status(code)) => {
                let status = format!("{code} Trouble");
                out.write_all(head(&status, "", Some(5)).as_bytes())
                    .and_then(|_| out.write_all(b"oops\n"))
            }
            Some(Reply::Hang(d)) => {
                std::thread::sleep(d);
                Ok(())
            }
            Some(Reply::Huge) => {
                let _ = out.write_all(
                    head("200 OK", "Content-Type: text/html\r\n", Some(1 << 30)).as_bytes(),
                );
                stream_zeros(&mut out)
            }
            Some(Reply::Redirect(to)) => {
                out.write_all(head("302 Found", &format!("Location: {to}\r\n"), Some(0)).as_bytes())
            }
            Some(Reply::HugeUnannounced) => {
                let _ =
                    out.write_all(head("200 OK", "Content-Type: text/html\r\n", None).as_bytes());
                stream_zeros(&mut out)
            }
        };
    }
}

fn stream_zeros(out: &mut TcpStream) -> std::io::Result<()> {
    let chunk = vec![b' '; 64 << 10];
    for _ in 0..(1 << 30) / chunk.len() {
        out.write_all(&chunk)?;
    }
    Ok(())
}
