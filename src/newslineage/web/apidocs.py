"""``/docs``: the API reference as one self-contained page made from the OpenAPI schema.

FastAPI's Swagger UI and ReDoc load their scripts from a CDN, so offline (or behind a
strict proxy) ``/docs`` was blank (issue 14 row 12), and the installed packages ship no
copy of those assets. This page needs nothing but the schema: no script, no external URL.

>>> spec = {"info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"summary": "A"}}}}
>>> "<code>/a</code>" in render_docs(spec)
True
"""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["render_docs"]

_METHODS = ("get", "post", "put", "patch", "delete", "head")
_STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "h2{border-top:1px solid #ccc;padding-top:1rem;font-size:1.1rem}"
    ".m{display:inline-block;min-width:3.5rem;font-weight:bold;text-transform:uppercase}"
    "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;"
    "text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}"
)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _type(schema: dict[str, Any]) -> str:
    """A short name for a schema: ``string``, ``integer``, ``Submission``, ``string | null``."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {_type(schema.get('items', {}))}"
    return str(kind)


def _parameters(op: dict[str, Any]) -> str:
    params = op.get("parameters", [])
    if not params:
        return ""
    rows = "".join(
        f"<tr><td><code>{_e(p['name'])}</code></td><td>{_e(p.get('in', ''))}</td>"
        f"<td>{_e(_type(p.get('schema', {})))}</td>"
        f"<td>{_e(p.get('description') or p.get('schema', {}).get('description', ''))}</td></tr>"
        for p in params
    )
    return f"<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>{rows}</table>"


def _body(op: dict[str, Any]) -> str:
    content = op.get("requestBody", {}).get("content", {})
    return "".join(
        f"<p>Body ({_e(kind)}): <a href='#schema-{_e(_type(c.get('schema', {})))}'>"
        f"{_e(_type(c.get('schema', {})))}</a></p>"
        for kind, c in content.items()
    )


def _responses(op: dict[str, Any]) -> str:
    items = "".join(
        f"<li><b>{_e(code)}</b> {_e(r.get('description', ''))}</li>"
        for code, r in sorted(op.get("responses", {}).items())
    )
    return f"<ul>{items}</ul>" if items else ""


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    return (
        f"<h2><span class=m>{_e(method)}</span> <code>{_e(path)}</code></h2>"
        f"<p><b>{_e(op.get('summary', ''))}</b></p><pre>{_e(op.get('description', ''))}</pre>"
        f"{_parameters(op)}{_body(op)}{_responses(op)}"
    )


def _schema(name: str, schema: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{_e(field)}</code></td><td>{_e(_type(s))}</td>"
        f"<td>{_e(s.get('description', ''))}</td></tr>"
        for field, s in schema.get("properties", {}).items()
    )
    return (
        f"<h3 id='schema-{_e(name)}'>{_e(name)}</h3><p>{_e(schema.get('description', ''))}</p>"
        f"<table>{rows}</table>"
    )


def render_docs(spec: dict[str, Any]) -> str:
    """The whole reference page for an OpenAPI ``spec``."""
    info = spec.get("info", {})
    ops = [
        _operation(path, method, item[method])
        for path, item in spec.get("paths", {}).items()
        for method in _METHODS
        if method in item
    ]
    schemas = spec.get("components", {}).get("schemas", {})
    models = "".join(_schema(n, s) for n, s in schemas.items() if "properties" in s)
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{_e(info.get('title'))}"
        f" API</title><style>{_STYLE}</style></head><body><h1>{_e(info.get('title'))} API "
        f"{_e(info.get('version', ''))}</h1><p>{_e(info.get('description', ''))}</p>"
        "<p>The machine-readable schema: <a href='/openapi.json'>/openapi.json</a>.</p>"
        f"{''.join(ops)}<h2>Schemas</h2>{models}</body></html>"
    )
