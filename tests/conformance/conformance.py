#!/usr/bin/env python3
"""Conformance of the sandbox's Power BI REST emulation to Microsoft's OpenAPI description.

Starts `pbi-sandbox` (demo tenant, throttling off, the sandbox clock frozen so that the
script moves time itself), then:
  1. checks that every route the sandbox serves (`pbi-sandbox --list-routes`) exists in the
     spec with that method and operationId;
  2. runs the operations that change something (POST, PATCH, DELETE) in realistic sequences —
     trigger a standard and an enhanced refresh and follow them through their execution
     details (202 while running, 200 after), cancel one, take a model over and change its
     schedule, generate embed tokens, start a scan — validating each answer that has a
     schema, and checking the status and headers of those that have none (202 with
     RequestId, Location and x-ms-request-id for an enhanced refresh);
  3. calls every GET route with a valid token (app-only, or delegated where the service refuses
     service principals) and validates each 200 body against the operation's response schema
     in the spec's definitions with python3-jsonschema (Draft 4 + format checks: uuid,
     date-time): required properties, types, enums, formats;
  4. checks the wire conventions the schema cannot: the RequestId header on every answer,
     no null values (optional fields are omitted), and the @odata.context envelope;
  5. sends bad input to every route (unknown and malformed ids, broken query options, bodies
     that are not JSON) and checks each gets one of the service's error bodies.

Exit status 0 when everything conforms; the report lists each failure.

Exceptions (where we follow the service's captured examples over the schema, see
reference/README.md): listed in EXCEPTIONS below with the reason; none are needed today.
"""

import argparse
import datetime
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import jsonschema

# (operationId, JSON pointer into the body) → why the sandbox deliberately differs from the
# schema. Keep empty unless the spec's own examples contradict its schema.
EXCEPTIONS = {
    # The spec's enum is camelCase ("successfullyMarked"); its captured example answers
    # "SuccessfullyMarked", which is what the sandbox sends (reference/README.md).
    ("Dataflows_CancelDataflowTransaction", "/status"): "example casing over the schema's enum",
}

TENANT = "8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f"
APP_ID = "5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f"
APP_SECRET = "sandbox-secret-change-me"
SCOPE = "https://analysis.windows.net/powerbi/api/.default"
ADMIN_USER = "admin@contoso-sandbox.onmicrosoft.com"
ADMIN_PASSWORD = "Sandbox!1"
# The workspace whose items exercise every item route: the console's app is a Member there
# and it has reports, models with history, a dashboard with tiles and a dataflow.
WORKSPACE = "Supply Chain [Prod]"

# Query options each route is called with: the required ones, and every $expand it supports.
QUERIES = {
    "Groups_GetGroupsAsAdmin": "$top=5000&$expand=users,reports,dashboards,datasets,dataflows,workbooks",
    "Groups_GetGroupAsAdmin": "$expand=users,reports,dashboards,datasets,dataflows,workbooks",
    "Admin_GetRefreshables": "$top=100&$expand=capacities,groups",
    "Apps_GetAppsAsAdmin": "$top=100",
    "Dashboards_GetDashboardsAsAdmin": "$expand=tiles",
    "Pipelines_GetPipelinesAsAdmin": "$expand=stages,users",
    "Pipelines_GetPipeline": "$expand=stages",
}
# Operations a service principal may not call: use a delegated (user) token.
DELEGATED = {"Apps_GetApps", "Apps_GetApp", "Apps_GetReports", "Apps_GetDashboards",
             "Reports_GetReports", "Datasets_GetDatasets", "Dashboards_GetDashboards",
             # "Dataflow management is not supported for service principals" (api-digest §2).
             "Dataflows_GetDataflowTransactions", "Dataflows_RefreshDataflow",
             "Dataflows_CancelDataflowTransaction", "Dataflows_UpdateRefreshSchedule"}


# The refresh flows: the model to refresh and the advances of the frozen sandbox clock.
MINUTE_MS = 60 * 1000


class Sandbox:
    def __init__(self, exe):
        # The clock is frozen (--time-scale 0): refreshes move only when the script advances it,
        # so every state (NotStarted, InProgress, finished) is seen exactly once, never raced.
        self.proc = subprocess.Popen([exe, "--port", "0", "--throttle-scale", "0", "--time-scale", "0",
                                      "--refresh-visibility-delay", "0", "--no-refresh-schedules"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            self.stop()
            raise RuntimeError("pbi-sandbox did not start: " + line)
        self.base = m.group(1)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def request(self, method, path, token=None, form=None, body=None, raw=None):
        data = None
        if form:
            data = urllib.parse.urlencode(form).encode()
        elif body is not None:
            data = json.dumps(body).encode()
        elif raw is not None:
            data = raw.encode()
        if data is None and method in ("POST", "PUT", "PATCH"):
            data = b""
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if form:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        elif body is not None or raw is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def control(self, method, path, body=None):
        status, _, data = self.request(method, "/sandbox/control/" + path, body=body)
        if status != 200:
            raise RuntimeError("control %s %s failed: %d %s" % (method, path, status, data[:300]))
        return json.loads(data)

    def advance(self, ms):
        self.control("POST", "clock", {"advanceMs": ms})

    def token(self, form):
        status, _, body = self.request("POST", "/%s/oauth2/v2.0/token" % TENANT, form=form)
        if status != 200:
            raise RuntimeError("token request failed: %d %s" % (status, body[:300]))
        return json.loads(body)["access_token"]


def public_client_id(source_dir):
    """The demo's public client, for the password grant (sandbox/EntraDemo.h)."""
    with open(source_dir + "/sandbox/EntraDemo.h", encoding="utf-8") as f:
        m = re.search(r'kPublicClientId\[\]\s*=\s*"([0-9a-f-]{36})"', f.read())
    return m.group(1) if m else None


class Checker:
    """Validates answers against the spec and the wire conventions; collects failures."""

    def __init__(self, spec, base):
        self.spec = spec
        self.base = base
        self.failures = []
        self.checked = 0
        self.exercised = set()  # operationIds whose success answer was checked

    def schema(self, path, method, status):
        responses = self.spec["paths"][path][method.lower()]["responses"]
        return responses.get(str(status), {}).get("schema"), str(status) in responses

    def check(self, op, path, method, where, status, headers, body, expected):
        """One answer of a call that should succeed with `expected` (an int or a set)."""
        expected = {expected} if isinstance(expected, int) else expected
        if not headers.get("RequestId"):
            self.failures.append("%s: no RequestId header" % where)
        if status not in expected:
            self.failures.append("%s: status %d, expected %s: %s" % (
                where, status, "/".join(map(str, sorted(expected))), json.dumps(body)[:300]))
            return False
        schema, documented = self.schema(path, method, status)
        if not documented:
            self.failures.append("%s: the spec has no %d answer" % (where, status))
            return False
        self.exercised.add(op)
        if schema is None:
            # The spec documents no body (202 Accepted, 200 OK of a change): none is sent.
            if body not in (None, b"", ""):
                self.failures.append("%s: %d should have no body, got %r" % (where, status, body)[:300])
            self.checked += 1
            return True
        definitions = self.spec["definitions"]
        root = dict(schema)
        root["definitions"] = definitions
        validator = jsonschema.Draft4Validator(root, format_checker=jsonschema.FormatChecker())
        for error in validator.iter_errors(body):
            pointer = "/" + "/".join(str(p) for p in error.absolute_path)
            if (op, pointer) in EXCEPTIONS:
                continue
            self.failures.append("%s: %s: %s" % (where, pointer, error.message[:200]))

        def walk(node, pointer):
            if node is None:
                self.failures.append("%s: %s is null (optional fields must be omitted)" % (where, pointer))
            elif isinstance(node, dict):
                for k, v in node.items():
                    walk(v, pointer + "/" + k)
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, pointer + "/" + str(i))
        walk(body, "")
        ref = schema.get("$ref", "")
        is_collection = "value" in definitions.get(ref.split("/")[-1], {}).get("properties", {})
        if is_collection and not str(body.get("@odata.context", "")).startswith(self.base + "/v1.0/myorg/"):
            self.failures.append("%s: @odata.context missing or wrong: %r" % (where, body.get("@odata.context")))
        self.checked += 1
        return True


def parse(body):
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sandbox", required=True, help="path of the pbi-sandbox executable")
    ap.add_argument("--spec", required=True, help="powerbi-rest-swagger.json")
    ap.add_argument("--source-dir", required=True, help="the repository root")
    args = ap.parse_args()

    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    failures = []

    # The validator must really check formats (uuid, date-time need their checkers present):
    # a body that breaks each kind of rule has to be rejected, or the run proves nothing.
    control = jsonschema.Draft4Validator({"$ref": "#/definitions/Refreshes", "definitions": spec["definitions"]},
                                         format_checker=jsonschema.FormatChecker())
    wrong = {"value": [{"startTime": "yesterday", "refreshType": "Magic", "refreshAttempts": [{"attemptId": "1"}]}]}
    if len(list(control.iter_errors(wrong))) < 3:
        failures.append("the schema validator does not check types, enums and date-time formats")

    # 1. Every served route exists in the spec with that method and operationId.
    listing = subprocess.run([args.sandbox, "--list-routes"], capture_output=True, text=True, check=True)
    routes = []
    for line in listing.stdout.splitlines():
        method, path, op = line.split()
        routes.append((method, path, op))
        spec_op = spec["paths"].get(path, {}).get(method.lower())
        if spec_op is None:
            failures.append("%s %s: not in the spec" % (method, path))
        elif spec_op.get("operationId") != op:
            failures.append("%s %s: spec operationId is %s, not %s" % (method, path, spec_op.get("operationId"), op))
    if not routes:
        failures.append("--list-routes listed nothing")
    path_of = {op: (method, path) for method, path, op in routes}

    sb = Sandbox(args.sandbox)
    c = Checker(spec, sb.base)
    refused = 0
    try:
        app = sb.token({"client_id": APP_ID, "client_secret": APP_SECRET, "scope": SCOPE,
                        "grant_type": "client_credentials"})
        user = None
        client = public_client_id(args.source_dir)
        if client:
            try:
                user = sb.token({"client_id": client, "username": ADMIN_USER, "password": ADMIN_PASSWORD,
                                 "scope": SCOPE, "grant_type": "password"})
            except RuntimeError as e:
                failures.append("delegated token: %s" % e)

        def call(method, path, token, body=None, raw=None):
            status, headers, data = sb.request(method, "/v1.0/myorg" + path, token, body=body, raw=raw)
            return status, headers, parse(data) if data else data

        def get(path, token):
            return call("GET", path, token)

        # Ids to put in the routes, discovered as a client would.
        ids = {}
        _, _, groups = get("/groups", app)
        ws = next(g for g in groups["value"] if g["name"] == WORKSPACE)
        ids["groupId"] = ws["id"]
        g = "/groups/" + ws["id"]
        ids["reportId"] = get(g + "/reports", app)[2]["value"][0]["id"]
        models = get(g + "/datasets", app)[2]["value"]
        ids["datasetId"] = next(d["id"] for d in models if d.get("isRefreshable"))
        dashboard = get(g + "/dashboards", app)[2]["value"][0]
        ids["dashboardId"] = dashboard["id"]
        ids["tileId"] = get(g + "/dashboards/%s/tiles" % dashboard["id"], app)[2]["value"][0]["id"]
        ids["dataflowId"] = get(g + "/dataflows", app)[2]["value"][0]["objectId"]
        ids["gatewayId"] = get("/gateways", app)[2]["value"][0]["id"]
        ids["pipelineId"] = get("/pipelines", app)[2]["value"][0]["id"]
        if user:
            ids["appId"] = get("/apps", user)[2]["value"][0]["id"]

        def concrete(op, extra=None):
            method, path = path_of[op]
            out = path[len("/v1.0/myorg"):]
            for name, value in dict(ids, **(extra or {})).items():
                out = out.replace("{%s}" % name, value)
            return method, path, out

        def run(op, token, body=None, expected=200, extra=None, query=""):
            """Calls an operation; checks and returns (ok, status, headers, body)."""
            if op not in path_of:
                return False, 0, {}, None
            method, path, where_path = concrete(op, extra)
            status, headers, doc = call(method, where_path + query, token, body=body)
            ok = c.check(op, path, method, "%s (%s %s)" % (op, method, where_path + query),
                         status, headers, doc, expected)
            return ok, status, headers, doc

        # 2a. Refreshes: standard, enhanced, cancelled; take-over and schedule update.
        dataset = ids["datasetId"]
        details = "Datasets_GetRefreshExecutionDetailsInGroup"

        def force(duration_ms):
            sb.control("POST", "refresh-outcomes",
                       {"datasetId": dataset, "outcome": "Completed", "durationMs": duration_ms})

        def history_has(request_id, status):
            _, _, doc = get(g + "/datasets/%s/refreshes" % dataset, app)
            entry = next((r for r in (doc or {}).get("value", []) if r.get("requestId") == request_id), None)
            if not entry or entry.get("status") != status:
                failures.append("refresh %s: history shows %r, expected status %s" % (request_id, entry, status))

        if "Datasets_RefreshDatasetInGroup" in path_of:
            force(2 * MINUTE_MS)
            ok, status, headers, _ = run("Datasets_RefreshDatasetInGroup", app,
                                         body={"notifyOption": "NoNotification"}, expected=202)
            standard = headers.get("RequestId", "")
            if ok:
                if headers.get("Location") or headers.get("x-ms-request-id"):
                    failures.append("standard refresh: Location/x-ms-request-id are for enhanced refreshes only")
                ids["refreshId"] = standard
                run(details, app, expected=202, extra={"refreshId": standard})
                history_has(standard, "Unknown")
                sb.advance(3 * MINUTE_MS)
                run(details, app, expected=200, extra={"refreshId": standard})
                history_has(standard, "Completed")

            force(2 * MINUTE_MS)
            enhanced_body = {"type": "full", "commitMode": "transactional", "maxParallelism": 2,
                             "retryCount": 1, "applyRefreshPolicy": False, "timeout": "02:00:00"}
            ok, status, headers, _ = run("Datasets_RefreshDatasetInGroup", app, body=enhanced_body, expected=202)
            enhanced = headers.get("x-ms-request-id", "")
            if ok:
                location = headers.get("Location", "")
                if not enhanced or headers.get("RequestId") != enhanced or \
                        location != sb.base + "/v1.0/myorg%s/datasets/%s/refreshes/%s" % (g, dataset, enhanced):
                    failures.append("enhanced refresh: RequestId %r, x-ms-request-id %r, Location %r" % (
                        headers.get("RequestId"), enhanced, location))
                _, _, doc = run(details, app, expected=202, extra={"refreshId": enhanced})[1:]
                if doc and doc.get("extendedStatus") != "NotStarted":
                    failures.append("enhanced refresh: first details %r, expected NotStarted" % doc)
                sb.advance(30 * 1000)
                _, _, doc = run(details, app, expected=202, extra={"refreshId": enhanced})[1:]
                if doc and (doc.get("extendedStatus") != "InProgress" or not doc.get("objects")):
                    failures.append("enhanced refresh: running details %r" % doc)
                sb.advance(3 * MINUTE_MS)
                _, _, doc = run(details, app, expected=200, extra={"refreshId": enhanced})[1:]
                if doc and doc.get("extendedStatus") != "Completed":
                    failures.append("enhanced refresh: final details %r" % doc)

            force(60 * MINUTE_MS)
            ok, _, headers, _ = run("Datasets_RefreshDatasetInGroup", app,
                                    body={"type": "Full", "objects": []}, expected=202)
            cancelled = headers.get("x-ms-request-id", "")
            if ok:
                sb.advance(30 * 1000)
                run("Datasets_CancelRefreshInGroup", app, expected=200, extra={"refreshId": cancelled})
                _, _, doc = run(details, app, expected=200, extra={"refreshId": cancelled})[1:]
                if doc and doc.get("extendedStatus") != "Cancelled":
                    failures.append("cancelled refresh: details %r" % doc)
                history_has(cancelled, "Cancelled")

        if "Datasets_UpdateRefreshScheduleInGroup" in path_of:
            # The owner changes schedules: the app takes the model over first.
            run("Datasets_TakeOverInGroup", app, expected=200)
            wanted = {"days": ["Monday", "Thursday"], "times": ["07:00", "18:30"], "enabled": True,
                      "localTimeZoneId": "W. Europe Standard Time", "notifyOption": "NoNotification"}
            if run("Datasets_UpdateRefreshScheduleInGroup", app, body={"value": wanted}, expected=200)[0]:
                _, _, doc = get(g + "/datasets/%s/refreshSchedule" % dataset, app)
                got = {k: (doc or {}).get(k) for k in wanted}
                if got != wanted:
                    failures.append("refresh schedule after PATCH: %r, expected %r" % (got, wanted))

        # 2a'. Dataflow refreshes, as a user (service principals are refused): trigger, find the
        # new transaction in the history, follow it to Success; a second one cancelled; the
        # schedule set and disabled with the spec's own examples.
        if user and "Dataflows_RefreshDataflow" in path_of:
            dataflow = ids["dataflowId"]
            transactions = g + "/dataflows/%s/transactions" % dataflow

            def listed():
                _, _, doc = get(transactions, user)
                return (doc or {}).get("value", [])

            status, _, doc = get(transactions, app)
            if status != 401 or not isinstance(doc, dict) or "Message" not in doc:
                failures.append("dataflow transactions with an app-only token: %d %r, expected the "
                                "401 'API is not accessible for application'" % (status, doc))
            sb.control("POST", "refresh-outcomes", {"dataflowId": dataflow, "outcome": "Completed",
                                                    "durationMs": 2 * MINUTE_MS})
            before = {t["id"] for t in listed()}
            if run("Dataflows_RefreshDataflow", user, body={"notifyOption": "MailOnFailure"},
                   query="?processType=default")[0]:
                new = [t for t in listed() if t["id"] not in before]
                if len(new) != 1 or new[0].get("status") != "InProgress" or "endTime" in new[0]:
                    failures.append("dataflow refresh: new transactions %r, expected one InProgress" % new)
                sb.advance(3 * MINUTE_MS)
                done = [t for t in listed() if new and t["id"] == new[0]["id"]]
                if not done or done[0].get("status") != "Success" or "endTime" not in done[0]:
                    failures.append("dataflow refresh: after the run %r, expected Success" % done)
                    new = []
                if new:
                    ok, _, _, doc = run("Dataflows_CancelDataflowTransaction", user,
                                        extra={"transactionId": urllib.parse.quote(new[0]["id"], safe="")})
                    if ok and (doc or {}).get("status") != "AlreadyConcluded":
                        failures.append("cancel of a finished transaction: %r" % doc)
            sb.control("POST", "refresh-outcomes", {"dataflowId": dataflow, "outcome": "Completed",
                                                    "durationMs": 60 * MINUTE_MS})
            before = {t["id"] for t in listed()}
            if run("Dataflows_RefreshDataflow", user, body={"notifyOption": "NoNotification"})[0]:
                new = [t for t in listed() if t["id"] not in before]
                if new:
                    ok, _, _, doc = run("Dataflows_CancelDataflowTransaction", user,
                                        extra={"transactionId": urllib.parse.quote(new[0]["id"], safe="")})
                    if ok and ((doc or {}).get("status") != "SuccessfullyMarked" or
                               doc.get("transactionId") != new[0]["id"]):
                        failures.append("cancel of a running transaction: %r" % doc)
                    after = [t for t in listed() if t["id"] == new[0]["id"]]
                    if not after or after[0].get("status") != "Cancelled":
                        failures.append("cancelled dataflow transaction: %r" % after)
                else:
                    failures.append("the second dataflow refresh is not in the history")
            examples = spec["paths"][path_of["Dataflows_UpdateRefreshSchedule"][1]]["patch"]["x-ms-examples"]
            for name in ("Daily refresh schedule example", "Update refresh schedule times example",
                         "Disable refresh schedule example"):
                body = examples[name]["parameters"]["refreshScheduleRequest"]
                run("Dataflows_UpdateRefreshSchedule", user, body=body, expected=200)
            ids["transactionId"] = urllib.parse.quote(next(iter(before), "none"), safe="")

        # 2b. Embed tokens and the scanner (ServiceHost.h).
        if "WorkspaceInfo_PostWorkspaceInfo" in path_of:
            ok, _, _, doc = run("WorkspaceInfo_PostWorkspaceInfo", app, body={"workspaces": [ids["groupId"]]},
                                expected=202, query="?lineage=True&datasourceDetails=True")
            if ok and doc and doc.get("id"):
                ids["scanId"] = doc["id"]
                sb.advance(MINUTE_MS)  # the scan completes on the sandbox clock
        embed = {
            "EmbedToken_GenerateToken": {"reports": [{"id": ids["reportId"]}],
                                         "datasets": [{"id": ids["datasetId"]}]},
            "Reports_GenerateTokenInGroup": {"accessLevel": "View"},
            "Reports_GenerateTokenForCreateInGroup": {"accessLevel": "Create", "datasetId": ids["datasetId"]},
            "Datasets_GenerateTokenInGroup": {"accessLevel": "View"},
            "Dashboards_GenerateTokenInGroup": {"accessLevel": "View"},
            "Tiles_GenerateTokenInGroup": {"accessLevel": "View"},
        }
        for op, body in embed.items():
            if op in path_of:
                run(op, app, body=body, expected=200)

        # 2c. Embed tokens, the scanner and activity events in depth (conformance_extensions.py):
        # a scan with every getInfo option, a second page of activity events, their refusals.
        sys.dont_write_bytecode = True  # no __pycache__ in the source tree
        import conformance_extensions
        c.checked += conformance_extensions.check(sb, spec, app, user, ids, routes, failures)

        # Every operation that changes something must have been exercised above.
        for method, path, op in routes:
            if method != "GET" and op not in c.exercised:
                failures.append("%s %s (%s): not exercised by the conformance run" % (method, path, op))

        # 3. Every GET route.
        now_ms = sb.control("GET", "clock")["nowMs"]
        day = datetime.datetime.fromtimestamp(now_ms / 1000, tz=datetime.timezone.utc).strftime("%Y-%m-%d")
        queries = dict(QUERIES)
        queries["Admin_GetActivityEvents"] = "startDateTime='%sT00:00:00.000Z'&endDateTime='%sT23:59:59.999Z'" % (day, day)
        for method, path, op in routes:
            if method != "GET":
                continue
            token = user if op in DELEGATED else app
            if token is None:
                failures.append("%s: no delegated token to call it with" % op)
                continue
            _, _, where_path = concrete(op)
            if "{" in where_path:
                failures.append("%s: no id for %s" % (op, where_path))
                continue
            if op in queries:
                where_path += "?" + queries[op]
            status, headers, body = get(where_path, token)
            c.check(op, path, method, "%s (GET %s)" % (op, where_path), status, headers, body, 200)

        # 5. Bad input on every route: unknown or malformed ids, broken query options, bodies
        # that are not JSON. Each gets one of the service's error bodies, and the sandbox keeps
        # running.
        bad_queries = ["$top=-1", "$top=99999999999999999999", "$skip=x", "$filter=((", "$expand=nonsense"]
        for method, path, op in routes:
            token = user if op in DELEGATED else app
            variants = []  # (path, raw body)
            if "{" in path:
                variants.append((re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path), None))
                variants.append((re.sub(r"\{[^}]+\}", "x" * 300, path), None))
            _, _, valid = concrete(op)
            valid = "/v1.0/myorg" + valid
            if method == "GET":
                variants += [(valid + "?" + q, None) for q in bad_queries]
            elif any(p.get("in") == "body" for p in spec["paths"][path][method.lower()].get("parameters", [])):
                variants.append((valid, "{\"broken\": "))
            for v, raw in variants:
                status, headers, body = call(method, v[len("/v1.0/myorg"):], token, raw=raw)
                if status == 200 and method == "GET":
                    continue  # e.g. an option this route ignores, as the service does
                refused += 1
                ok_shape = isinstance(body, dict) and (
                    ("error" in body and isinstance(body["error"], dict) and "code" in body["error"]) or "Message" in body)
                if status not in (400, 401, 404) or not ok_shape or not headers.get("RequestId"):
                    failures.append("%s (%s %s): bad input got %d %s" % (op, method, v[:120], status, json.dumps(body)[:200]))
        if sb.proc.poll() is not None:
            failures.append("pbi-sandbox exited during the run")
    finally:
        sb.stop()

    failures += c.failures
    print("conformance: %d routes listed, %d responses validated against the spec, "
          "%d bad requests answered with an error body" % (len(routes), c.checked, refused))
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
