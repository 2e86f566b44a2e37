#!/usr/bin/env python3
"""Conformance of the sandbox's Power BI REST emulation to Microsoft's OpenAPI description.

Starts `pbi-sandbox` (demo tenant, throttling off), then:
  1. checks that every route the sandbox serves (`pbi-sandbox --list-routes`) exists in the
     spec with that method and operationId;
  2. calls every route with a valid token (app-only, or delegated where the service refuses
     service principals) and validates each 200 body against the operation's response schema
     in the spec's definitions with python3-jsonschema (Draft 4 + format checks: uuid,
     date-time): required properties, types, enums, formats;
  3. checks the wire conventions the schema cannot: the RequestId header on every answer,
     no null values (optional fields are omitted), and the @odata.context envelope.

Exit status 0 when everything conforms; the report lists each failure.

Exceptions (where we follow the service's captured examples over the schema, see
reference/README.md): listed in EXCEPTIONS below with the reason; none are needed today.
"""

import argparse
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
EXCEPTIONS = {}

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
             "Reports_GetReports", "Datasets_GetDatasets", "Dashboards_GetDashboards"}


class Sandbox:
    def __init__(self, exe):
        self.proc = subprocess.Popen([exe, "--port", "0", "--throttle-scale", "0"],
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

    def request(self, method, path, token=None, form=None):
        data = urllib.parse.urlencode(form).encode() if form else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if form:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sandbox", required=True, help="path of the pbi-sandbox executable")
    ap.add_argument("--spec", required=True, help="powerbi-rest-swagger.json")
    ap.add_argument("--source-dir", required=True, help="the repository root")
    args = ap.parse_args()

    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    failures = []
    checked = 0
    refused = 0

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

    sb = Sandbox(args.sandbox)
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

        def get(path, token):
            status, headers, body = sb.request("GET", "/v1.0/myorg" + path, token)
            try:
                doc = json.loads(body) if body else None
            except ValueError:
                doc = None
            return status, headers, doc

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

        definitions = spec["definitions"]
        for method, path, op in routes:
            token = user if op in DELEGATED else app
            if token is None:
                failures.append("%s: no delegated token to call it with" % op)
                continue
            concrete = path[len("/v1.0/myorg"):]
            for name, value in ids.items():
                concrete = concrete.replace("{%s}" % name, value)
            if "{" in concrete:
                failures.append("%s: no id for %s" % (op, concrete))
                continue
            if op in QUERIES:
                concrete += "?" + QUERIES[op]
            status, headers, body = get(concrete, token)
            where = "%s (GET %s)" % (op, concrete)
            if not headers.get("RequestId"):
                failures.append("%s: no RequestId header" % where)
            if status != 200:
                failures.append("%s: status %d: %s" % (where, status, json.dumps(body)[:300]))
                continue
            responses = spec["paths"][path][method.lower()]["responses"]
            schema = responses.get("200", {}).get("schema")
            if schema is None:
                failures.append("%s: the spec has no 200 schema" % where)
                continue
            root = dict(schema)
            root["definitions"] = definitions
            validator = jsonschema.Draft4Validator(root, format_checker=jsonschema.FormatChecker())
            for error in validator.iter_errors(body):
                pointer = "/" + "/".join(str(p) for p in error.absolute_path)
                if (op, pointer) in EXCEPTIONS:
                    continue
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
            walk(body, "")
            ref = schema.get("$ref", "")
            is_collection = "value" in definitions.get(ref.split("/")[-1], {}).get("properties", {})
            if is_collection and not str(body.get("@odata.context", "")).startswith(sb.base + "/v1.0/myorg/"):
                failures.append("%s: @odata.context missing or wrong: %r" % (where, body.get("@odata.context")))
            checked += 1

        # Bad input on every route: unknown or malformed ids, broken query options. Each gets
        # one of the service's error bodies, and the sandbox keeps running.
        refused = 0
        bad_queries = ["$top=-1", "$top=99999999999999999999", "$skip=x", "$filter=((", "$expand=nonsense"]
        for method, path, op in routes:
            token = user if op in DELEGATED else app
            variants = []
            if "{" in path:
                variants.append(re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path))
                variants.append(re.sub(r"\{[^}]+\}", "x" * 300, path))
            concrete = path
            for name, value in ids.items():
                concrete = concrete.replace("{%s}" % name, value)
            variants += [concrete + "?" + q for q in bad_queries]
            for v in variants:
                status, headers, body = get(v[len("/v1.0/myorg"):], token)
                if status == 200:
                    continue  # e.g. an option this route ignores, as the service does
                refused += 1
                ok_shape = isinstance(body, dict) and (
                    ("error" in body and isinstance(body["error"], dict) and "code" in body["error"]) or "Message" in body)
                if status not in (400, 401, 404) or not ok_shape or not headers.get("RequestId"):
                    failures.append("%s (GET %s): bad input got %d %s" % (op, v[:120], status, json.dumps(body)[:200]))
        if sb.proc.poll() is not None:
            failures.append("pbi-sandbox exited during the run")
    finally:
        sb.stop()

    print("conformance: %d routes listed, %d responses validated against the spec, "
          "%d bad requests answered with an error body" % (len(routes), checked, refused))
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
