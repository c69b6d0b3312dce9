//! The Step Functions API over HTTP: `POST /` with `X-Amz-Target` in the AWS
//! JSON 1.0 protocol, as the aws CLI, boto3 and the SDKs send it
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/Welcome.html>).
//! `serve` takes a bound listener, so tests bind port 0.

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use stepwise_engine::Engine;
use stepwise_engine::api;
use stepwise_engine::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use tokio::net::TcpListener;

/// The largest request body accepted: a 1 MB definition with room for JSON
/// escaping (AWS's definition quota is 1 MB; payloads are 256 KiB).
const MAX_BODY: usize = 4 * 1024 * 1024;

fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = content_type.parse() {
        response.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    response
}

async fn answer<S, Q, E, T, C>(engine: Arc<Engine<S, Q, E, T, C>>, request: Request<Incoming>) -> Response<Full<Bytes>>
where
    S: Store,
    Q: Queue,
    E: EventSink,
    T: TaskInvoker,
    C: Clock,
{
    if request.method() != Method::POST {
        let text = b"stepwise: the Step Functions API answers POST / (AWS JSON 1.0)\n".to_vec();
        return reply(if request.method() == Method::GET { 200 } else { 405 }, "text/plain", text);
    }
    let target = request.headers().get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            let body = br#"{"__type":"ValidationException","message":"Request body too large or unreadable"}"#.to_vec();
            return reply(400, api::Response::CONTENT_TYPE, body);
        }
    };
    let response = api::handle(&engine, &target, &body).await;
    reply(response.status, api::Response::CONTENT_TYPE, response.body)
}

/// Answers connections on `listener` until the task is cancelled. A bad
/// request gets an error response; nothing a client sends stops the server.
pub async fn serve<S, Q, E, T, C>(listener: TcpListener, engine: Arc<Engine<S, Q, E, T, C>>) -> std::io::Result<()>
where
    S: Store + 'static,
    Q: Queue + 'static,
    E: EventSink + 'static,
    T: TaskInvoker + 'static,
    C: Clock + 'static,
{
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(conn) => conn,
            Err(_) => continue,
        };
        let engine = engine.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let engine = engine.clone();
                async move { Ok::<_, Infallible>(answer(engine, request).await) }
            });
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
