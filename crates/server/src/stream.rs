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

/// Reads a request body from blocking code (a streaming parser) while it is still arriving:
/// the first chunk is returned as well, to recognise the format from it. More than `max`
/// bytes fail with 413 before they are read.
pub async fn body_reader(body: Body, max: u64) -> Result<(Bytes, Box<dyn io::BufRead + Send>), khien_domain::Error> {
    use tokio_stream::StreamExt;
    let mut stream = body.into_data_stream();
    let first = match stream.next().await {
        Some(Ok(b)) => b,
        Some(Err(e)) => return Err(khien_domain::Error::bad_request(format!("Không đọc được tệp tải lên: {e}"), format!("Could not read the upload: {e}"))),
        None => Bytes::new(),
    };
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(QUEUED);
    let mut total = first.len() as u64;
    tokio::spawn(async move {
        while let Some(chunk) = stream.next().await {
            let item = chunk.map_err(|e| io::Error::other(e.to_string())).and_then(|b| {
                total += b.len() as u64;
                if total > max {
                    Err(io::Error::other(format!("the upload is larger than {} MiB", max / (1024 * 1024))))
                } else {
                    Ok(b)
                }
            });
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                break;
            }
        }
    });
    let reader = ChannelReader { rx, current: first.clone(), pos: 0 };
    Ok((first, Box::new(io::BufReader::with_capacity(CHUNK / 4, reader))))
}

/// A reader for blocking code fed from async code chunk by chunk (a multipart upload's file
/// field): `first` is read first, then every chunk sent; an error sent ends the read with it,
/// dropping the sender ends it cleanly. At most a few chunks wait, so a large file is never
/// held whole.
pub fn pipe(first: Bytes) -> (mpsc::Sender<io::Result<Bytes>>, Box<dyn io::BufRead + Send>) {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(QUEUED);
    let reader = ChannelReader { rx, current: first, pos: 0 };
    (tx, Box::new(io::BufReader::with_capacity(CHUNK / 4, reader)))
}

struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
    pos: usize,
}

impl io::Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.current.len() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => {
                    self.current = b;
                    self.pos = 0;
                }
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = out.len().min(self.current.len() - self.pos);
        out[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
