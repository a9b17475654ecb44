//! `multipart/form-data` request bodies: a [`Form`] of text fields and
//! [`FileUpload`]s.
//!
//! A form is a description, not a stream: it is turned into a fresh
//! `reqwest` body on every attempt, so a request can be retried. Bytes are
//! cheap to clone; a file given by path is reopened on each attempt and
//! streamed from disk (never held in memory whole), with its length from
//! the file's metadata; an async reader is read into memory once, on the
//! first attempt.
//!
//! ```
//! use telnyx_fax::{multipart::Form, FileUpload};
//!
//! let form = Form::new()
//!     .text("connection_id", "234423")
//!     .field("quality", &Some("high"))
//!     .file("contents", FileUpload::from_bytes("report.pdf", b"%PDF-1.4".to_vec()));
//! # let _ = form;
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::OnceCell;
use tokio_util::io::ReaderStream;

use crate::error::{Error, Result};

/// The size of the chunks a file upload is read and sent in: large enough
/// that a 200 MB file costs under a thousand reads and writes (with
/// `ReaderStream`'s default 4 KiB, a debug build took 2.3 s for it, ten
/// times as long as with 256 KiB), small enough that memory stays flat.
const UPLOAD_CHUNK: usize = 256 * 1024;

/// A `multipart/form-data` body: an ordered list of named parts.
#[derive(Clone, Debug, Default)]
pub struct Form {
    parts: Vec<(String, PartValue)>,
    /// The first field that failed to serialize; reported when sent.
    error: Option<String>,
}

#[derive(Clone, Debug)]
enum PartValue {
    Text(String),
    File(FileUpload),
}

impl Form {
    /// An empty form.
    pub fn new() -> Form {
        Form::default()
    }

    /// Adds a text part.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Form {
        self.parts.push((name.into(), PartValue::Text(value.into())));
        self
    }

    /// Adds the parts for any serializable value:
    ///
    /// * a string is sent as is; a number or boolean in its JSON spelling
    ///   (so an enum that serializes to a string sends that string);
    /// * an array sends one part per item, all with this name;
    /// * an object is sent as one part holding its JSON text;
    /// * `null` (so `None`) sends no part at all.
    ///
    /// A value that fails to serialize makes the request fail with
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument)
    /// when it is sent.
    pub fn field<V: Serialize + ?Sized>(mut self, name: impl Into<String>, value: &V) -> Form {
        let name = name.into();
        match serde_json::to_value(value) {
            Ok(Value::Array(items)) => {
                for item in items {
                    self.push_value(&name, item);
                }
            }
            Ok(value) => self.push_value(&name, value),
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(format!("multipart field `{name}` does not serialize: {e}"));
                }
            }
        }
        self
    }

    fn push_value(&mut self, name: &str, value: Value) {
        let text = match value {
            Value::Null => return,
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            other @ (Value::Array(_) | Value::Object(_)) => other.to_string(),
        };
        self.parts.push((name.to_owned(), PartValue::Text(text)));
    }

    /// Adds a file part.
    pub fn file(mut self, name: impl Into<String>, file: FileUpload) -> Form {
        self.parts.push((name.into(), PartValue::File(file)));
        self
    }

    /// Adds a file part when `file` is `Some`; does nothing for `None`.
    pub fn file_opt(self, name: impl Into<String>, file: Option<FileUpload>) -> Form {
        match file {
            Some(file) => self.file(name, file),
            None => self,
        }
    }

    /// The names of the parts, in order (one entry per part).
    pub fn part_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.parts.iter().map(|(name, _)| name.as_str())
    }

    /// Builds a fresh reqwest form for one attempt.
    pub(crate) async fn to_reqwest(&self) -> Result<reqwest::multipart::Form> {
        if let Some(message) = &self.error {
            return Err(Error::invalid_argument(message.clone()));
        }
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &self.parts {
            let part = match value {
                PartValue::Text(text) => reqwest::multipart::Part::text(text.clone()),
                PartValue::File(file) => file.to_part().await?,
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}

/// A file to upload in a multipart [`Form`]: from a path, from bytes in
/// memory, or from an async reader.
///
/// The file name defaults to the path's last component; the content type
/// is guessed from the file name's extension (`pdf`, `tif`/`tiff`,
/// `jpg`/`jpeg`, `png`, `doc`, `docx`, `rtf`, `txt`, otherwise
/// `application/octet-stream`). Both can be set explicitly.
///
/// A path that cannot be opened, or a reader that fails, makes the request
/// fail with [`ErrorKind::Io`](crate::ErrorKind::Io) when it is sent, before
/// anything goes on the wire. A file that fails to read, or changes length,
/// while it is being sent fails that attempt as a connection error.
#[derive(Clone)]
pub struct FileUpload {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    Reader(Arc<ReaderSource>),
}

struct ReaderSource {
    reader: Mutex<Option<Box<dyn AsyncRead + Send + Unpin>>>,
    buffered: OnceCell<Bytes>,
}

impl FileUpload {
    /// A file read from `path` when the request is sent: opened on each
    /// attempt (so a retry sends it whole again) and streamed from disk in
    /// small chunks, with the length its metadata gives, so a large file
    /// never sits in memory. The file name is the path's last component.
    pub fn from_path(path: impl AsRef<Path>) -> FileUpload {
        let path = path.as_ref().to_path_buf();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        FileUpload {
            source: Source::Path(path),
            file_name,
            content_type: None,
        }
    }

    /// A file held in memory.
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> FileUpload {
        FileUpload {
            source: Source::Bytes(bytes.into()),
            file_name: Some(file_name.into()),
            content_type: None,
        }
    }

    /// A file read from an async reader. The reader is read to its end
    /// into memory on the first attempt to send, and those bytes are reused
    /// by retries and by clones of this `FileUpload`.
    pub fn from_reader(
        file_name: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> FileUpload {
        FileUpload {
            source: Source::Reader(Arc::new(ReaderSource {
                reader: Mutex::new(Some(Box::new(reader))),
                buffered: OnceCell::new(),
            })),
            file_name: Some(file_name.into()),
            content_type: None,
        }
    }

    /// Sets the file name sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, file_name: impl Into<String>) -> FileUpload {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the part's `Content-Type` (for example `"application/pdf"`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> FileUpload {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name that will be sent, if any.
    pub fn get_file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type set with [`content_type`](Self::content_type), if any.
    pub(crate) fn explicit_content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The content type that will be sent: the one set, or the guess from
    /// the file name's extension.
    pub fn get_content_type(&self) -> &str {
        match &self.content_type {
            Some(ct) => ct,
            None => guess_content_type(self.file_name.as_deref().unwrap_or("")),
        }
    }

    async fn to_part(&self) -> Result<reqwest::multipart::Part> {
        let (body, len) = self.to_body().await?;
        let mut part = reqwest::multipart::Part::stream_with_length(body, len);
        if let Some(name) = &self.file_name {
            part = part.file_name(name.clone());
        }
        part.mime_str(self.get_content_type()).map_err(|_| {
            Error::invalid_argument(format!(
                "invalid content type for file upload: {:?}",
                self.get_content_type()
            ))
        })
    }

    /// A fresh body for one attempt and its length: a cheap clone for
    /// bytes, the file reopened and streamed for a path (at most the length
    /// its metadata gave when opened), the buffered copy for a reader (read
    /// once, on first use).
    pub(crate) async fn to_body(&self) -> Result<(reqwest::Body, u64)> {
        let bytes = match &self.source {
            Source::Bytes(bytes) => bytes.clone(),
            Source::Path(path) => {
                let io_error = |e: std::io::Error| Error::io(format!("cannot read file upload `{}`: {e}", path.display()), e);
                let file = tokio::fs::File::open(path).await.map_err(io_error)?;
                let metadata = file.metadata().await.map_err(io_error)?;
                if !metadata.is_file() {
                    let e = std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file");
                    return Err(io_error(e));
                }
                let len = metadata.len();
                // `take`: a file that grows while it is sent still sends the
                // length announced; one that shrinks fails the attempt.
                let chunks = ReaderStream::with_capacity(file.take(len), UPLOAD_CHUNK);
                return Ok((reqwest::Body::wrap_stream(chunks), len));
            }
            Source::Reader(source) => source
                .buffered
                .get_or_try_init(|| async {
                    let reader = source.reader.lock().unwrap_or_else(|p| p.into_inner()).take();
                    let Some(mut reader) = reader else {
                        return Err(Error::invalid_argument(
                            "file upload reader was already consumed by a failed attempt",
                        ));
                    };
                    let mut buf = Vec::new();
                    reader.read_to_end(&mut buf).await.map_err(|e| {
                        Error::io(format!("cannot read file upload reader: {e}"), e)
                    })?;
                    Ok(Bytes::from(buf))
                })
                .await?
                .clone(),
        };
        let len = bytes.len() as u64;
        Ok((reqwest::Body::from(bytes), len))
    }
}

impl From<&Path> for FileUpload {
    /// Same as [`FileUpload::from_path`].
    fn from(path: &Path) -> FileUpload {
        FileUpload::from_path(path)
    }
}

impl From<PathBuf> for FileUpload {
    /// Same as [`FileUpload::from_path`].
    fn from(path: PathBuf) -> FileUpload {
        FileUpload::from_path(path)
    }
}

impl PartialEq for FileUpload {
    /// Two uploads are equal when they send the same thing: the same bytes in
    /// memory or the same path, or the same reader (a clone), with the same
    /// file name and content type. Lets body types that carry a file keep
    /// their `PartialEq`.
    fn eq(&self, other: &FileUpload) -> bool {
        let same_source = match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path(a), Source::Path(b)) => a == b,
            (Source::Reader(a), Source::Reader(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same_source && self.file_name == other.file_name && self.get_content_type() == other.get_content_type()
    }
}

/// A file is a multipart part, never JSON. The impl exists so that a type
/// holding a file (a body offered as JSON and as multipart, a JSON value with
/// a file member deep inside) still serializes when no file is set: an unset
/// optional file field is left out before this runs. A file that is set where
/// only JSON can go is an error naming it, never data silently dropped.
impl Serialize for FileUpload {
    fn serialize<S: serde::Serializer>(&self, _serializer: S) -> std::result::Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(format!(
            "file `{}` cannot be written as JSON: this body is sent as JSON; attach files only to multipart bodies",
            self.file_name.as_deref().unwrap_or("(unnamed)")
        )))
    }
}

/// A JSON string where the document declares a file (`format: binary`) is the
/// file's content; the upload has no file name.
impl<'de> serde::Deserialize<'de> for FileUpload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        Ok(FileUpload { source: Source::Bytes(Bytes::from(text.into_bytes())), file_name: None, content_type: None })
    }
}

impl fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FileUpload");
        match &self.source {
            Source::Bytes(b) => d.field("bytes", &b.len()),
            Source::Path(p) => d.field("path", p),
            Source::Reader(r) => d.field(
                "reader",
                &match r.buffered.get() {
                    Some(b) => format!("buffered ({} bytes)", b.len()),
                    None => "unread".to_owned(),
                },
            ),
        };
        d.field("file_name", &self.file_name)
            .field("content_type", &self.get_content_type())
            .finish()
    }
}

/// The content type for a file name, from its extension.
fn guess_content_type(file_name: &str) -> &'static str {
    let ext = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("pdf") => "application/pdf",
        Some("tif" | "tiff") => "image/tiff",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("rtf") => "application/rtf",
        Some("txt") => "text/plain",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file set where only JSON can go is an error naming it; a JSON string
    /// where a file is declared is its content (issue 26).
    #[test]
    fn file_upload_serde() {
        let err = serde_json::to_value(FileUpload::from_bytes("scan.pdf", b"%PDF".to_vec())).expect_err("a file is not JSON");
        assert!(err.to_string().contains("scan.pdf"), "{err}");
        let none: Option<FileUpload> = None;
        assert_eq!(serde_json::to_value(none).expect("unset"), Value::Null);
        let read: FileUpload = serde_json::from_str("\"abc\"").expect("a string");
        assert_eq!(read, FileUpload { source: Source::Bytes(Bytes::from_static(b"abc")), file_name: None, content_type: None });
    }

    #[test]
    fn content_types() {
        assert_eq!(guess_content_type("a.PDF"), "application/pdf");
        assert_eq!(guess_content_type("a.tif"), "image/tiff");
        assert_eq!(guess_content_type("a.tiff"), "image/tiff");
        assert_eq!(guess_content_type("a.jpeg"), "image/jpeg");
        assert_eq!(guess_content_type("dir/a.txt"), "text/plain");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
        let f = FileUpload::from_path("/tmp/x/report.docx");
        assert_eq!(f.get_file_name(), Some("report.docx"));
        assert!(f.get_content_type().contains("wordprocessingml"));
        assert_eq!(f.content_type("image/png").get_content_type(), "image/png");
        let from: FileUpload = PathBuf::from("/tmp/a.rtf").into();
        assert_eq!(from.get_content_type(), "application/rtf");
        assert_eq!(from.get_file_name(), Some("a.rtf"));
    }

    #[test]
    fn field_rules() {
        #[derive(Serialize)]
        #[serde(rename_all = "lowercase")]
        enum Quality {
            High,
        }
        let form = Form::new()
            .field("s", &"x")
            .field("n", &3)
            .field("b", &false)
            .field("e", &Quality::High)
            .field("none", &Option::<String>::None)
            .field("arr", &["a", "b"])
            .field("obj", &serde_json::json!({"k": 1}));
        let texts: Vec<(&str, &str)> = form
            .parts
            .iter()
            .map(|(n, v)| match v {
                PartValue::Text(t) => (n.as_str(), t.as_str()),
                PartValue::File(_) => unreachable!(),
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                ("s", "x"),
                ("n", "3"),
                ("b", "false"),
                ("e", "high"),
                ("arr", "a"),
                ("arr", "b"),
                ("obj", "{\"k\":1}"),
            ]
        );
    }
}
