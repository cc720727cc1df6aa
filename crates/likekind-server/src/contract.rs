//! What every operation shares, added to the OpenAPI document after the routes are collected,
//! so `/openapi.json` says what the server does whatever a handler's annotation forgot:
//!
//! - the answers of the extractors ([`crate::extract`]): `401` when the operation needs a
//!   caller; `403` on a change made with the session cookie without its `X-CSRF-Token` or from
//!   another origin; `400` for a path parameter that is not text; `400`, `413`, `415` and `422`
//!   for a JSON body; `422` for a query string that does not read; `413` for an upload;
//! - `500` (the server failed; nothing was changed), which every operation can answer;
//! - the error body ([`crate::error::ErrorBody`]) on every error answer;
//! - `Retry-After` on `429` and `503`;
//! - links from each `201` answer to the operations on the resource it created
//!   (`POST /api/exchanges` → `GET /api/exchanges/{id}`, its ledger, analysis...), so clients
//!   and stateful testers can follow them.
//!
//! The handlers' own annotations keep their specific answers (404 for an unknown id, 409 for a
//! stale version, 422 for a rule broken, ...); `tests/contract.rs` checks the whole.

use serde_json::{Map, Value, json};

const ERROR_REF: &str = "#/components/schemas/ErrorBody";

fn error_content() -> Value {
    json!({"application/json": {"schema": {"$ref": ERROR_REF}}})
}

/// Whether an operation needs a caller (it inherits the document's security, or names one).
fn secured(op: &Value, global: &Value) -> bool {
    let sec = op.get("security").unwrap_or(global);
    match sec.as_array() {
        None => false,
        Some(reqs) => {
            !reqs.is_empty()
                && !reqs
                    .iter()
                    .any(|r| r.as_object().is_some_and(Map::is_empty))
        }
    }
}

fn add(responses: &mut Map<String, Value>, status: &str, description: &str) {
    let r = responses
        .entry(status.to_string())
        .or_insert_with(|| json!({"description": ""}));
    if let Some(r) = r.as_object_mut() {
        let empty = r
            .get("description")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if empty {
            r.insert("description".into(), Value::String(description.into()));
        }
    }
}

/// Completes the document in place (see the module documentation).
pub fn complete(spec: &mut Value) {
    let global = spec.get("security").cloned().unwrap_or(Value::Null);
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let is_secured = secured(op, &global);
            let Some(o) = op.as_object_mut() else {
                continue;
            };
            let params: Vec<(String, String)> = o
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| {
                            Some((
                                p.get("in")?.as_str()?.to_string(),
                                p.get("name")?.as_str()?.to_string(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let body_types: Vec<String> = o
                .get("requestBody")
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default();
            if !body_types.is_empty() && !body_types.iter().any(|t| t == "application/json") {
                // A raw body is the bytes of a file, at least one.
                if let Some(content) = o
                    .get_mut("requestBody")
                    .and_then(|b| b.get_mut("content"))
                    .and_then(Value::as_object_mut)
                {
                    for media in content.values_mut() {
                        if let Some(m) = media.as_object_mut() {
                            m.insert(
                                "schema".into(),
                                json!({"type": "string", "format": "binary", "minLength": 1}),
                            );
                        }
                    }
                }
            }
            let responses = o
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut();
            let Some(responses) = responses else {
                continue;
            };
            let safe = matches!(method.as_str(), "get" | "head" | "options");
            if is_secured {
                add(
                    responses,
                    "401",
                    "No valid credentials: log in (session cookie) or send an API token (Authorization: Bearer)",
                );
                if !safe {
                    add(
                        responses,
                        "403",
                        "Refused: your role may not do this, or a change made with the session cookie came without its X-CSRF-Token or from another origin",
                    );
                }
            }
            if params.iter().any(|(i, _)| i == "path") {
                add(responses, "400", "A path parameter is not valid text");
            }
            if params.iter().any(|(i, _)| i == "query") {
                add(
                    responses,
                    "422",
                    "A query parameter is missing, unknown or out of its range (the field and the rule are named)",
                );
            }
            if body_types.iter().any(|t| t == "application/json") {
                add(responses, "400", "The body is not valid JSON");
                add(
                    responses,
                    "413",
                    "The body is larger than the server accepts",
                );
                add(
                    responses,
                    "415",
                    "The body was not sent as Content-Type: application/json",
                );
                add(
                    responses,
                    "422",
                    "A field is missing, unknown, of the wrong type or breaks a rule (each field and rule is named)",
                );
            } else if !body_types.is_empty() {
                add(
                    responses,
                    "413",
                    "The body is larger than the server accepts",
                );
            }
            add(responses, "500", "The server failed; nothing was changed");
            for (status, r) in responses.iter_mut() {
                let Some(r) = r.as_object_mut() else {
                    continue;
                };
                let code: u16 = status.parse().unwrap_or(0);
                if code >= 400 {
                    r.insert("content".into(), error_content());
                    if code == 429 || code == 503 {
                        r.insert(
                            "headers".into(),
                            json!({"Retry-After": {
                                "description": "Seconds to wait before trying again",
                                "schema": {"type": "integer", "minimum": 0}
                            }}),
                        );
                    }
                }
            }
        }
    }
    add_links(paths, &schemas);
}

/// Links that the naming of paths does not give: what an answer carries elsewhere than its
/// top-level `id`, and where that leads.
/// (source path, method, status, JSON pointer to the id, target path prefix).
const EXTRA_LINKS: &[(&str, &str, &str, &str, &str)] = &[(
    "/api/exchanges/{id}/ledger",
    "post",
    "202",
    "/approval/id",
    "/api/exchanges/{id}/approvals/{",
)];

fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// Links from what a POST created to the operations on it: a `201` whose body has an `id`, at
/// `P`, links to every operation at `P/{x}` and below (plus [`EXTRA_LINKS`]). A target that
/// needs a path parameter neither the answer nor the request gives is not linked.
fn add_links(paths: &mut Map<String, Value>, schemas: &Map<String, Value>) {
    let mut sources: Vec<(String, String, String, String, String)> = Vec::new();
    for (path, item) in paths.iter() {
        let Some(op) = item.get("post") else {
            continue;
        };
        let has_id = op
            .pointer("/responses/201/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .and_then(|name| schemas.get(name))
            .and_then(|s| s.pointer("/properties/id"))
            .is_some();
        if has_id {
            sources.push((
                path.clone(),
                "post".into(),
                "201".into(),
                "/id".into(),
                format!("{path}/{{"),
            ));
        }
    }
    for (p, m, st, ptr, pre) in EXTRA_LINKS {
        if paths.get(*p).and_then(|i| i.get(*m)).is_some() {
            sources.push((
                (*p).into(),
                (*m).into(),
                (*st).into(),
                (*ptr).into(),
                (*pre).into(),
            ));
        }
    }
    let mut links: Vec<(String, String, String, Value)> = Vec::new();
    for (path, method, status, pointer, prefix) in &sources {
        let mut out = Map::new();
        for (other, item) in paths.iter() {
            let Some(rest) = other.strip_prefix(prefix.as_str()) else {
                continue;
            };
            let Some((param, _)) = rest.split_once('}') else {
                continue;
            };
            let Some(item) = item.as_object() else {
                continue;
            };
            for op in item.values() {
                let Some(target) = op.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                let mut parameters = Map::new();
                parameters.insert(
                    param.to_string(),
                    json!(format!("$response.body#{pointer}")),
                );
                for p in path_params(path) {
                    parameters.insert(p.to_string(), json!(format!("$request.path.{p}")));
                }
                if !path_params(other).all(|p| parameters.contains_key(p)) {
                    continue;
                }
                out.insert(
                    target.to_string(),
                    json!({"operationId": target, "parameters": parameters}),
                );
            }
        }
        if !out.is_empty() {
            links.push((
                path.clone(),
                method.clone(),
                status.clone(),
                Value::Object(out),
            ));
        }
    }
    for (path, method, status, l) in links {
        if let Some(r) = paths
            .get_mut(&path)
            .and_then(|i| i.get_mut(&method))
            .and_then(|o| o.get_mut("responses"))
            .and_then(|r| r.get_mut(&status))
            .and_then(Value::as_object_mut)
        {
            r.insert("links".into(), l);
        }
    }
}
