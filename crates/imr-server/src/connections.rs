//! The server's connections: what one client can hold and for how long, so that a slow or
//! idle client never takes the service from the others.
//!
//! - A request's headers must arrive within `header_read_timeout` of the connection being ready
//!   for them (a new connection, or a kept-alive one between requests): half-sent requests
//!   (slowloris) and idle connections are closed after it.
//! - A request (reading its body included) must be answered within `request_timeout`; past it
//!   the answer is a short page to a browser (a request that accepts HTML), JSON otherwise.
//! - At most `max_connections` are open. When a new one comes at the cap, the oldest connection
//!   with no request under way is closed to make room (idle connections cannot starve `/health`);
//!   if every connection is busy, the new one is closed at once.
//! - On shutdown the listener closes, idle connections close, and requests under way get
//!   `shutdown_grace` to finish.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// What one server allows its connections.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub request_timeout: Duration,
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 512,
            header_read_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(20),
        }
    }
}

/// One open connection: how many of its requests are under way, and how to close it.
struct Slot {
    busy: Arc<AtomicUsize>,
    close: Arc<Notify>,
}

/// The open connections, oldest first (ids only grow).
#[derive(Default)]
struct Registry {
    slots: BTreeMap<u64, Slot>,
    next_id: u64,
}

impl Registry {
    /// Makes room for a new connection if it can: under the cap, or by closing the oldest idle
    /// connection. `None` when every connection is busy.
    fn admit(&mut self, max: usize) -> Option<(u64, Arc<AtomicUsize>, Arc<Notify>)> {
        if self.slots.len() >= max.max(1) {
            let idle = self
                .slots
                .iter()
                .find(|(_, slot)| slot.busy.load(Ordering::Acquire) == 0)
                .map(|(id, _)| *id)?;
            if let Some(slot) = self.slots.remove(&idle) {
                // notify_one keeps the wake-up if the connection is not waiting yet.
                slot.close.notify_one();
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        let slot = Slot {
            busy: Arc::default(),
            close: Arc::default(),
        };
        let handles = (id, slot.busy.clone(), slot.close.clone());
        self.slots.insert(id, slot);
        Some(handles)
    }
}

/// Counts a request as under way while it lives.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn new(count: Arc<AtomicUsize>) -> Busy {
        count.fetch_add(1, Ordering::AcqRel);
        Busy(count)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its request counted as under way until it is sent or dropped.
struct WhileSending {
    inner: axum::body::Body,
    _busy: Busy,
}

impl http_body::Body for WhileSending {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets requests
/// under way finish (for at most `limits.shutdown_grace`). Each request carries the client's
/// [`ConnectInfo<SocketAddr>`].
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send,
) {
    let registry = Arc::new(Mutex::new(Registry::default()));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while connections.try_join_next().is_some() {}
        let admitted = match registry.lock() {
            Ok(mut registry) => registry.admit(limits.max_connections),
            Err(_) => None,
        };
        let Some((id, busy, close)) = admitted else {
            tracing::warn!("every connection is busy: a new one was closed");
            drop(stream);
            continue;
        };
        connections.spawn(connection(
            stream,
            peer,
            app.clone(),
            limits.clone(),
            Handles {
                id,
                busy,
                close,
                registry: registry.clone(),
                stop: stop_rx.clone(),
            },
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let finished = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            left = connections.len(),
            "shutdown: requests still under way after the grace period were cut"
        );
        connections.abort_all();
    }
}

/// What a connection task needs besides its stream.
struct Handles {
    id: u64,
    busy: Arc<AtomicUsize>,
    close: Arc<Notify>,
    registry: Arc<Mutex<Registry>>,
    stop: watch::Receiver<bool>,
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: axum::Router,
    limits: ConnectionLimits,
    handles: Handles,
) {
    let busy = handles.busy.clone();
    let request_timeout = limits.request_timeout;
    let service =
        hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let app = app.clone();
            let _busy = Busy::new(busy.clone());
            async move {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                let browser = accepts_html(request.headers());
                let response =
                    match tokio::time::timeout(request_timeout, app.oneshot(request)).await {
                        Ok(Ok(response)) => response,
                        Ok(Err(never)) => match never {},
                        Err(_) => timed_out(request_timeout, browser),
                    };
                // The request stays under way until its answer is sent: a connection sending a
                // large letter is not idle.
                Ok::<_, Infallible>(response.map(|inner| WhileSending { inner, _busy }))
            }
        });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut stop = handles.stop.clone();
    let stopping = async move {
        // The guard `wait_for` returns must not live across an await.
        let _ = stop.wait_for(|stop| *stop).await.map(|_| ());
    };
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        () = handles.close.notified() => {
            tracing::debug!("an idle connection was closed to make room");
        }
        () = stopping => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.as_mut().await;
        }
    }
    if let Ok(mut registry) = handles.registry.lock() {
        registry.slots.remove(&handles.id);
    }
}

/// Whether the client takes HTML (a browser's navigation or form), so is not sent JSON.
fn accepts_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("text/html"))
}

/// The answer to a request that took longer than the request timeout: a page for a browser,
/// JSON for the API.
fn timed_out(limit: Duration, browser: bool) -> Response {
    let why = format!(
        "the request took longer than {} seconds and was stopped",
        limit.as_secs()
    );
    let mut response = if browser {
        let page = maud::html! {
            (maud::DOCTYPE)
            html lang="en" {
                head { meta charset="utf-8"; title { "The request was stopped" } }
                body {
                    h1 { "The request was stopped" }
                    p { "Sorry: " (why) ". Anything stored before it was stopped stays stored; \
                         look at the case before sending it again." }
                    p { a href="/" { "Back to the queue" } }
                }
            }
        };
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::response::Html(page.into_string()),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "error": why })),
        )
            .into_response()
    };
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_cap_the_oldest_idle_connection_makes_room() {
        let mut registry = Registry::default();
        let (a, busy_a, close_a) = registry.admit(2).expect("room");
        let (b, _busy_b, close_b) = registry.admit(2).expect("room");
        let _busy = Busy::new(busy_a);
        let (c, _, _) = registry.admit(2).expect("b is idle");
        let ids: Vec<u64> = registry.slots.keys().copied().collect();
        assert_eq!(
            ids,
            [a, c],
            "the idle one (b) went, the busy one (a) stayed"
        );
        assert_ne!(b, c);
        // b was told to close, a was not.
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let mut b_closed = std::pin::pin!(close_b.notified());
        let mut a_closed = std::pin::pin!(close_a.notified());
        assert!(b_closed.as_mut().poll(&mut cx).is_ready());
        assert!(a_closed.as_mut().poll(&mut cx).is_pending());
    }

    #[test]
    fn when_every_connection_is_busy_the_new_one_is_refused() {
        let mut registry = Registry::default();
        let (_, busy, _) = registry.admit(1).expect("room");
        let _busy = Busy::new(busy);
        assert!(registry.admit(1).is_none());
    }
}
