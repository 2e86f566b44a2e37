#pragma once

// The wire form of every tenant entity, written once and used by the member-scope and admin
// routes alike (admin items add workspaceId). camelCase, optional fields omitted, never null
// (api-digest §0).

#include "Tenant.h"

#include <nlohmann/json.hpp>

#include <string>

namespace pbi::sandbox::entity {

using nlohmann::json;

/// "2026-11-20T05:04:13.457Z": how the service writes times (UTC, milliseconds).
std::string isoMs(UnixMs ms);

/// Which navigation collections an admin workspace carries ($expand).
struct GroupExpand {
    bool users = false;
    bool reports = false;
    bool dashboards = false;
    bool datasets = false;
    bool dataflows = false;
    bool workbooks = false;
};

json group(const Workspace& w, const Tenant& t);
json adminGroup(const Workspace& w, const Tenant& t, const GroupExpand& expand);
json groupUser(const WorkspaceMember& m, bool admin);
json report(const Report& r, const Workspace& w, bool admin);
/// `limited`: a caller with Read but not Write permission on the model (spec: "Read
/// permission gets limited content").
json dataset(const Dataset& d, const Workspace& w, bool admin, bool limited = false);
json dashboard(const Dashboard& d, const Workspace& w, bool admin, bool withTiles = false);
json tile(const Tile& tile, const Dashboard& d, const Workspace& w);
json dataflow(const Dataflow& d, const Workspace& w, bool admin);
json workbook(const Workbook& wb);
json datasource(const Datasource& s);
json parameter(const MashupParameter& p);
json refresh(const RefreshEntry& r);
json schedule(const RefreshSchedule& s);
/// `right`: the caller's capacityUserAccessRight ("None" | "Assign" | "Admin").
json capacity(const Capacity& c, const std::string& right);
json gateway(const Gateway& g);
json gatewayDatasource(const GatewayDatasource& s, const Gateway& g);
json app(const PowerBiApp& a, bool admin);
json pipelineStage(const PipelineStage& s, const Tenant& t);
json pipelineUser(const PipelineUser& u);
json pipeline(const Pipeline& p, const Tenant& t, bool withStages, bool withUsers, bool admin);
/// Refresh statistics of a model over the last `days` days (the Refreshable schema).
json refreshable(const Dataset& d, const Workspace& w, const Tenant& t, UnixMs nowMs,
                 bool expandCapacity, bool expandGroup, int days = 7);

} // namespace pbi::sandbox::entity
