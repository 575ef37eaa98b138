//! Response bodies written by blocking code (a serialiser that wants `std::io::Write`) and
//! sent as they are produced, so a large download starts at once and is never held whole.

use std::io::{self, Write};

use std::time::Duration;

use axum::body::{Body, Bytes};
use khien_domain::{Error, Msg};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};

/// Size of the chunks handed to the connection.
const CHUNK: usize = 256 * 1024;
/// Chunks that may wait for a slow client before the writer pauses.
const QUEUED: usize = 4;

struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .blocking_send(Ok(Bytes::from(chunk)))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// A body fed by `write` running on a blocking thread. A failure after the first bytes can
/// only cut the body short (the status is already sent); it is logged and ends the stream
/// with an error, so the client sees an incomplete transfer rather than a truncated success.
pub fn blocking_body(write: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'static) -> Body {
    let (tx, rx) = mpsc::channel(QUEUED);
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter { tx: tx.clone(), buf: Vec::with_capacity(CHUNK) };
        if let Err(e) = write(&mut w).and_then(|()| w.flush()) {
            if e.kind() != io::ErrorKind::BrokenPipe {
                tracing::warn!(error = %e, "streamed response failed");
                let _ = tx.blocking_send(Err(e));
            }
        }
    });
    Body::from_stream(ReceiverStream::new(rx))
}

/// How long and how much an upload may take to arrive.
#[derive(Debug, Clone, Copy)]
pub struct Receive {
    pub max_bytes: u64,
    /// Longest pause between two chunks.
    pub idle: Duration,
    /// Longest time for the whole body.
    pub total: Duration,
}

/// Bytes of an upload kept in memory; a larger one goes on to a temporary file.
const IN_MEMORY: usize = 1 << 20;
/// Bytes kept apart to recognise the format.
pub const HEAD_BYTES: usize = 64 * 1024;

/// An upload received whole: its first bytes (to recognise the format) and a reader over all
/// of it, from memory or from an unlinked temporary file that disappears with the reader.
pub struct Spooled {
    pub head: Bytes,
    pub len: u64,
    pub reader: Box<dyn io::BufRead + Send>,
}

enum Store {
    Memory(Vec<u8>),
    File(tokio::fs::File),
}

/// Receives a whole upload before anything is written, so no database lock is ever held while
/// a client sends (or pauses): chunk after chunk into memory, then into a temporary file past
/// 1 MiB. A pause longer than `limits.idle`, or a body slower than `limits.total`, fails with
/// 408; more than `limits.max_bytes` with 413, as soon as it is seen.
pub async fn spool<S, E>(mut chunks: S, limits: Receive) -> Result<Spooled, Error>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::error::Error + 'static,
{
    let deadline = tokio::time::Instant::now() + limits.total;
    let mut store = Store::Memory(Vec::new());
    let mut head: Vec<u8> = Vec::new();
    let mut len = 0u64;
    loop {
        let wait = (tokio::time::Instant::now() + limits.idle).min(deadline);
        let chunk = match tokio::time::timeout_at(wait, chunks.next()).await {
            Err(_) => return Err(timed_out(limits)),
            Ok(None) => break,
            Ok(Some(Err(e))) if timed_out_below(&e) => return Err(timed_out(limits)),
            Ok(Some(Err(e))) => return Err(unreadable(e)),
            Ok(Some(Ok(c))) => c,
        };
        len += chunk.len() as u64;
        if len > limits.max_bytes {
            let mib = limits.max_bytes >> 20;
            return Err(Error::TooLarge(Msg::new(
                format!("Tệp tải lên lớn hơn {mib} MiB."),
                format!("The upload is larger than {mib} MiB."),
            )));
        }
        if head.len() < HEAD_BYTES {
            let take = chunk.len().min(HEAD_BYTES - head.len());
            head.extend_from_slice(chunk.get(..take).unwrap_or_default());
        }
        store = match store {
            Store::Memory(mut buf) if buf.len() + chunk.len() <= IN_MEMORY => {
                buf.extend_from_slice(&chunk);
                Store::Memory(buf)
            }
            Store::Memory(buf) => {
                let file = tokio::task::spawn_blocking(tempfile::tempfile)
                    .await
                    .map_err(Error::internal)?
                    .map_err(Error::internal)?;
                let mut file = tokio::fs::File::from_std(file);
                file.write_all(&buf).await.map_err(Error::internal)?;
                file.write_all(&chunk).await.map_err(Error::internal)?;
                Store::File(file)
            }
            Store::File(mut file) => {
                file.write_all(&chunk).await.map_err(Error::internal)?;
                Store::File(file)
            }
        };
    }
    let reader: Box<dyn io::BufRead + Send> = match store {
        Store::Memory(buf) => Box::new(io::Cursor::new(buf)),
        Store::File(mut file) => {
            file.flush().await.map_err(Error::internal)?;
            file.seek(io::SeekFrom::Start(0)).await.map_err(Error::internal)?;
            Box::new(io::BufReader::with_capacity(CHUNK / 4, file.into_std().await))
        }
    };
    Ok(Spooled { head: Bytes::from(head), len, reader })
}

fn timed_out(limits: Receive) -> Error {
    Error::TimedOut(Msg::new(
        format!(
            "Tệp tải lên bị gián đoạn quá {} giây hoặc gửi quá {} phút; hãy gửi lại.",
            limits.idle.as_secs(),
            limits.total.as_secs().div_ceil(60)
        ),
        format!(
            "The upload paused for more than {} s or took more than {} min; send it again.",
            limits.idle.as_secs(),
            limits.total.as_secs().div_ceil(60)
        ),
    ))
}

/// Whether a body error comes from the server's own idle timeout on request bodies (it may sit
/// under the multipart parser's error).
fn timed_out_below(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = c.source();
    }
    false
}

fn unreadable(e: impl std::fmt::Display) -> Error {
    Error::bad_request(format!("Không đọc được tệp tải lên: {e}"), format!("Could not read the upload: {e}"))
}
