//! Response bodies written by blocking code (a serialiser that wants `std::io::Write`) and
//! sent as they are produced, so a large download starts at once and is never held whole.

use std::io::{self, Write};

use axum::body::{Body, Bytes};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

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
