#pragma once

// Scenario documents for tst_tenant, kept out of the test's source because moc does not
// parse raw string literals with quotes inside.

#include <tuple>
#include <vector>

struct BadScenario {
    const char* name;
    const char* doc;
    const char* where; ///< the path the error message must start with
};

inline std::vector<BadScenario> badScenarios() {
#define HEAD R"({"format":"pbi-sandbox-scenario/1","base":"demo",)"
    return {
        {"no format", R"({"tenant":{"id":"x","domain":"d"}})", "format"},
        {"not an object", R"([1,2])", "format"},
        {"no tenant", R"({"format":"pbi-sandbox-scenario/1"})", "tenant"},
        {"workspace name type", HEAD R"("workspaces":[{"name":5}]})", "workspaces[0].name"},
        {"workspace without name", HEAD R"("workspaces":[{}]})", "workspaces[0].name"},
        {"bad role",
         HEAD
         R"("workspaces":[{"name":"a","members":[{"identifier":"x","accessRight":"Owner"}]}]})",
         "workspaces[0].members[0].accessRight"},
        {"bad status",
         HEAD
         R"("workspaces":[{"name":"a","datasets":[{"name":"m","refreshes":[{"startTime":"2026-01-01T00:00:00Z","status":"Done"}]}]}]})",
         "workspaces[0].datasets[0].refreshes[0].status"},
        {"bad time",
         HEAD
         R"("workspaces":[{"name":"a","datasets":[{"name":"m","refreshes":[{"startTime":"yesterday"}]}]}]})",
         "workspaces[0].datasets[0].refreshes[0].startTime"},
        {"bad schedule time",
         HEAD
         R"("workspaces":[{"name":"a","datasets":[{"name":"m","refreshSchedule":{"days":["Monday"],"times":["07:15"]}}]}]})",
         "workspaces[0].datasets[0].refreshSchedule.times"},
        {"bad day",
         HEAD
         R"("workspaces":[{"name":"a","datasets":[{"name":"m","refreshSchedule":{"days":["Funday"]}}]}]})",
         "workspaces[0].datasets[0].refreshSchedule.days"},
        {"array expected", HEAD R"("workspaces":{"name":"a"}})", "workspaces"},
    };
#undef HEAD
}

inline const char* handWrittenScenario() {
    return R"({
          "format": "pbi-sandbox-scenario/1",
          "base": "demo",
          "workspaces": [{
            "name": "Scenario [Prod]",
            "members": [
              {"identifier": "admin@contoso-sandbox.onmicrosoft.com", "accessRight": "Admin"},
              {"identifier": "CONSOLE_SP", "principalType": "App", "accessRight": "Member"}
            ],
            "datasets": [{
              "name": "Orders",
              "refreshSchedule": {"days": ["Monday"], "times": ["07:30"]},
              "refreshes": [
                {"startTime": "2026-11-02T07:30:04Z", "endTime": "2026-11-02T07:31:00.250Z"},
                {"startTime": "2026-11-03T07:30:04Z", "endTime": "2026-11-03T07:30:09Z", "status": "Failed",
                 "serviceExceptionJson": "{\"errorCode\":\"ModelRefreshFailed_CredentialsNotSpecified\"}"}
              ]
            }]
          }]
        })";
}
