"""Conformance of the routes of the sandbox's ServiceHost in depth: embed tokens
(GenerateToken), the admin scanner (WorkspaceInfo_*) and activity events
(Admin_GetActivityEvents).

conformance.py calls each route once with simple input; check() adds what those calls do not
reach: a scan with every getInfo option (so that tables, roles, expressions, artifact users,
lineage and data source instances of WorkspaceInfoResponse are validated), modified
workspaces with their options, a second page of activity events (via continuationUri), and
the refusals of each route, which may also be 403 here (GenerateToken answers 403 to a caller
who is not a member of the workspace). Each answer is validated against the spec's schema for
its documented status (200, or 202 for getInfo), with the same wire checks (RequestId
header, no null values).
"""

import datetime
import json
import time
import urllib.error
import urllib.request

import jsonschema

OPERATIONS = {
    "EmbedToken_GenerateToken",
    "Reports_GenerateTokenInGroup",
    "Reports_GenerateTokenForCreateInGroup",
    "Datasets_GenerateTokenInGroup",
    "Dashboards_GenerateTokenInGroup",
    "Tiles_GenerateTokenInGroup",
    "WorkspaceInfo_GetModifiedWorkspaces",
    "WorkspaceInfo_PostWorkspaceInfo",
    "WorkspaceInfo_GetScanStatus",
    "WorkspaceInfo_GetScanResult",
    "Admin_GetActivityEvents",
}

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def _send(sb, method, url, token=None, body=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url if url.startswith("http") else sb.base + url, data=data,
                                 method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, headers, raw = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, headers, raw = e.code, dict(e.headers), e.read()
    try:
        doc = json.loads(raw) if raw else None
    except ValueError:
        doc = None
    return status, headers, doc


def check(sb, spec, app, user, ids, routes, failures):
    """Calls and validates every route of OPERATIONS listed in `routes`; returns how many
    answers were validated against the spec."""
    del user  # every route here is open to the console's service principal
    ops = {op: (method, path) for method, path, op in routes if op in OPERATIONS}
    missing = OPERATIONS - set(ops)
    for op in sorted(missing):
        failures.append("%s: not listed by --list-routes" % op)
    definitions = spec["definitions"]
    checked = 0

    # Scans finish at once: the run's sandbox clock may be frozen.
    status, _, _ = _send(sb, "PATCH", "/sandbox/control/scanner", body={"queuedMs": 0, "runningMs": 0})
    if status != 200:
        failures.append("scanner control endpoint: status %d" % status)

    def concrete(op, extra=None):
        method, path = ops[op]
        values = dict(ids)
        values.update(extra or {})
        for name, value in values.items():
            path = path.replace("{%s}" % name, value)
        return method, path

    def validate(op, method, url, expected, body=None):
        nonlocal checked
        status, headers, doc = _send(sb, method, url, app, body)
        where = "%s (%s %s)" % (op, method, url[:160])
        if not headers.get("RequestId"):
            failures.append("%s: no RequestId header" % where)
        if status != expected:
            failures.append("%s: status %d: %s" % (where, status, json.dumps(doc)[:300]))
            return None, headers
        _, path = ops[op]
        schema = spec["paths"][path][ops[op][0].lower()]["responses"].get(str(expected), {}).get("schema")
        if schema is None:
            failures.append("%s: the spec has no %d schema" % (where, expected))
            return doc, headers
        root = dict(schema)
        root["definitions"] = definitions
        validator = jsonschema.Draft4Validator(root, format_checker=jsonschema.FormatChecker())
        for error in validator.iter_errors(doc):
            pointer = "/" + "/".join(str(p) for p in error.absolute_path)
            failures.append("%s: %s: %s" % (where, pointer, error.message[:200]))

        def walk(node, pointer):
            if node is None:
                failures.append("%s: %s is null (optional fields must be omitted)" % (where, pointer))
            elif isinstance(node, dict):
                for k, v in node.items():
                    walk(v, pointer + "/" + k)
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, pointer + "/" + str(i))
        walk(doc, "")
        checked += 1
        return doc, headers

    # Embed tokens: Supply Chain [Prod] (the console's app is a Member; models without RLS).
    bodies = {
        "EmbedToken_GenerateToken": {"datasets": [{"id": ids["datasetId"]}],
                                     "reports": [{"id": ids["reportId"]}], "lifetimeInMinutes": 30},
        "Reports_GenerateTokenInGroup": {"accessLevel": "View"},
        "Reports_GenerateTokenForCreateInGroup": {"accessLevel": "Create", "datasetId": ids["datasetId"]},
        "Datasets_GenerateTokenInGroup": {"accessLevel": "View"},
        "Dashboards_GenerateTokenInGroup": {"accessLevel": "View"},
        "Tiles_GenerateTokenInGroup": {"accessLevel": "View"},
    }
    for op, body in bodies.items():
        if op not in ops:
            continue
        method, path = concrete(op)
        validate(op, method, path, 200, body)

    # The scanner: modified → getInfo (202) → scanStatus until Succeeded → scanResult.
    modified = None
    if "WorkspaceInfo_GetModifiedWorkspaces" in ops:
        method, path = concrete("WorkspaceInfo_GetModifiedWorkspaces")
        modified, _ = validate("WorkspaceInfo_GetModifiedWorkspaces", method,
                               path + "?excludePersonalWorkspaces=false&excludeInActiveWorkspaces=false", 200)
    scan_id = None
    if "WorkspaceInfo_PostWorkspaceInfo" in ops:
        workspaces = [w["id"] for w in (modified or [])][:100] or [ids["groupId"]]
        method, path = concrete("WorkspaceInfo_PostWorkspaceInfo")
        scan, headers = validate("WorkspaceInfo_PostWorkspaceInfo", method,
                                 path + "?lineage=true&datasourceDetails=true&datasetSchema=true"
                                 "&datasetExpressions=true&getArtifactUsers=true",
                                 202, {"workspaces": workspaces})
        if scan:
            scan_id = scan.get("id")
            if "/scanStatus/" not in headers.get("Location", ""):
                failures.append("WorkspaceInfo_PostWorkspaceInfo: no Location of the scan status")
    if scan_id:
        deadline = time.time() + 20
        while time.time() < deadline:
            _, _, doc = _send(sb, "GET", "/v1.0/myorg/admin/workspaces/scanStatus/" + scan_id, app)
            if doc and doc.get("status") in ("Succeeded", "Failed"):
                break
            time.sleep(0.05)
        for op in ("WorkspaceInfo_GetScanStatus", "WorkspaceInfo_GetScanResult"):
            if op in ops:
                method, path = concrete(op, {"scanId": scan_id})
                validate(op, method, path, 200)
    elif "WorkspaceInfo_GetScanStatus" in ops:
        failures.append("no scan id to check WorkspaceInfo_GetScanStatus/GetScanResult with")

    # Activity events: yesterday on the sandbox clock (a complete day), and its second page.
    if "Admin_GetActivityEvents" in ops:
        status, _, clock = _send(sb, "GET", "/sandbox/control/clock")
        now = datetime.datetime.now(datetime.timezone.utc)
        if status == 200 and isinstance(clock, dict) and "nowMs" in clock:
            now = datetime.datetime.fromtimestamp(clock["nowMs"] / 1000, tz=datetime.timezone.utc)
        day = (now - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
        method, path = concrete("Admin_GetActivityEvents")
        first, _ = validate("Admin_GetActivityEvents", method,
                            path + "?startDateTime='%sT00:00:00.000Z'&endDateTime='%sT23:59:59.999Z'" % (day, day),
                            200)
        if first and first.get("continuationUri"):
            validate("Admin_GetActivityEvents", "GET", first["continuationUri"], 200)
        elif first is not None:
            failures.append("Admin_GetActivityEvents: a day of the demo tenant fits on one page")

    # Bad input: unknown ids, broken bodies and options. One of the service's error bodies.
    refused = 0
    bad = []
    for op in bodies:
        if op in ops:
            method, path = concrete(op, {name: UNKNOWN for name in
                                         ("groupId", "reportId", "datasetId", "dashboardId", "tileId")})
            # V2 has no ids in its path: an unknown model in its body.
            unknown = {"datasets": [{"id": UNKNOWN}]} if op == "EmbedToken_GenerateToken" else bodies[op]
            bad.append((op, method, path, unknown))
            method, path = concrete(op)
            bad.append((op, method, path, b"{not json"))
    for op, method, path, body in [
            ("WorkspaceInfo_GetModifiedWorkspaces", "GET", "?modifiedSince=yesterday", None),
            ("WorkspaceInfo_PostWorkspaceInfo", "POST", "", {"workspaces": []}),
            ("WorkspaceInfo_PostWorkspaceInfo", "POST", "?lineage=maybe", {"workspaces": [ids["groupId"]]}),
            ("WorkspaceInfo_GetScanStatus", "GET", "", None),
            ("WorkspaceInfo_GetScanResult", "GET", "", None),
            ("Admin_GetActivityEvents", "GET", "?startDateTime=2019-08-13T07:55:00Z", None)]:
        if op in ops:
            _, p = concrete(op, {"scanId": UNKNOWN if op.endswith("Status") else "x" * 300})
            bad.append((op, method, p + path, body))
    for op, method, path, body in bad:
        status, headers, doc = _send(sb, method, path, app, body)
        ok_shape = isinstance(doc, dict) and (
            ("error" in doc and isinstance(doc["error"], dict) and "code" in doc["error"]) or "Message" in doc)
        if status not in (400, 401, 403, 404) or not ok_shape or not headers.get("RequestId"):
            failures.append("%s (%s %s): bad input got %d %s" % (op, method, path[:120], status,
                                                                json.dumps(doc)[:200]))
        refused += 1

    print("conformance: embed tokens, scanner, activity events: %d routes, %d responses validated "
          "against the spec, %d bad requests answered with an error body" % (len(ops), checked, refused))
    return checked
