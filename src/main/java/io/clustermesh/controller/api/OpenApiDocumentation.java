package io.clustermesh.controller.api;

import io.clustermesh.controller.cilium.CiliumNames;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * What the generated OpenAPI document cannot see: the bearer scheme {@link AuthFilter} enforces,
 * the status codes resources choose at run time (202 with an operation, 200 for a dry run, 503
 * for an unhealthy mesh), problem+json errors from {@link ProblemMapper}, which bodies are
 * optional, and examples. One table for every route keeps the resources free of documentation
 * annotations; {@code OpenApiStatusCodesTest} drives every route and fails when a status code it
 * sees is not documented here, or a route is missing from the table.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocumentation implements OASFilter {

    static final String BEARER = "bearer";
    private static final String JSON = jakarta.ws.rs.core.MediaType.APPLICATION_JSON;

    /** How a route answers; the codes each kind may return. */
    enum Kind {
        READ(200, 401, 403),
        CLUSTER_READ(200, 401, 403, 404, 502),
        AUDIT(200, 400, 401, 403),
        HEALTH(200, 304, 401, 503),
        MUTATION(200, 202, 400, 401, 403, 404, 409, 413, 502),
        DISCONNECT(200, 202, 400, 401, 403, 404, 409, 502),
        PROBE(202, 400, 401, 403, 404, 413),
        CHECK_REPORT(201, 400, 401, 403, 413),
        SIM_READ(200, 401, 403, 404),
        SIM_CHANGE(200, 400, 401, 403, 404, 413),
        SNAPSHOT(200, 401, 403, 503);

        final int[] codes;

        Kind(int... codes) {
            this.codes = codes;
        }
    }

    /** Body of a route: whether it must be sent, and an example. */
    record Body(boolean required, String example) {}

    record Route(Kind kind, Body body) {}

    static final Map<String, Route> ROUTES = routes();

    private static Map<String, Route> routes() {
        Map<String, Route> routes = new LinkedHashMap<>();
        routes.put("GET /api/v1/clusters", new Route(Kind.READ, null));
        routes.put("GET /api/v1/clusters/{name}", new Route(Kind.CLUSTER_READ, null));
        routes.put(
                "PUT /api/v1/clusters/{name}/clustermesh",
                new Route(Kind.MUTATION, new Body(false, "{\"serviceType\": \"LoadBalancer\"}")));
        routes.put("DELETE /api/v1/clusters/{name}/clustermesh", new Route(Kind.DISCONNECT, null));
        routes.put("GET /api/v1/clusters/{name}/wireguard", new Route(Kind.CLUSTER_READ, null));
        routes.put(
                "POST /api/v1/clusters/{name}/wireguard/rotations",
                new Route(Kind.MUTATION, new Body(false, "{\"nodes\": [\"homelab-node-1\"], \"maxUnavailable\": 1}")));
        routes.put("GET /api/v1/clusters/{name}/certificates", new Route(Kind.CLUSTER_READ, null));
        routes.put(
                "POST /api/v1/clusters/{name}/certificates/rotations",
                new Route(Kind.MUTATION, new Body(false, "{\"ca\": false}")));
        routes.put("GET /api/v1/links", new Route(Kind.READ, null));
        routes.put("GET /api/v1/links/{a}/{b}", new Route(Kind.CLUSTER_READ, null));
        routes.put("PUT /api/v1/links/{a}/{b}", new Route(Kind.MUTATION, null));
        routes.put("DELETE /api/v1/links/{a}/{b}", new Route(Kind.DISCONNECT, null));
        routes.put("GET /api/v1/links/{a}/{b}/history", new Route(Kind.CLUSTER_READ, null));
        routes.put(
                "POST /api/v1/mesh/connect",
                new Route(Kind.MUTATION, new Body(true, "{\"clusters\": [\"homelab\", \"cloud\"]}")));
        routes.put("GET /api/v1/operations", new Route(Kind.READ, null));
        routes.put("GET /api/v1/operations/{id}", new Route(Kind.CLUSTER_READ, null));
        routes.put("GET /api/v1/reachability", new Route(Kind.READ, null));
        routes.put(
                "POST /api/v1/reachability/probes",
                new Route(
                        Kind.PROBE,
                        new Body(
                                false,
                                "{\"clusters\": [\"homelab\", \"cloud\"], \"remote\": true, \"endpoints\": {\"homelab\": \"home.example.net:32379\"}}")));
        routes.put("GET /api/v1/health", new Route(Kind.HEALTH, null));
        routes.put("GET /api/v1/checks", new Route(Kind.READ, null));
        routes.put("POST /api/v1/checks", new Route(Kind.CHECK_REPORT, new Body(true, null)));
        routes.put("GET /api/v1/audit", new Route(Kind.AUDIT, null));
        routes.put("GET /api/v1/whoami", new Route(Kind.READ, null));
        routes.put("GET /api/v1/sim", new Route(Kind.SIM_READ, null));
        routes.put(
                "POST /api/v1/sim/faults",
                new Route(
                        Kind.SIM_CHANGE,
                        new Body(true, "{\"cluster\": \"homelab\", \"type\": \"port-forward-removed\"}")));
        routes.put("DELETE /api/v1/sim/faults", new Route(Kind.SIM_CHANGE, null));
        routes.put("GET /api/v1/sim/subnet-routes", new Route(Kind.SIM_READ, null));
        routes.put("GET /api/v1/sim/requests", new Route(Kind.SIM_READ, null));
        routes.put(
                "POST /api/v1/sim/subnet-routes",
                new Route(Kind.SIM_CHANGE, new Body(true, "{\"cidr\": \"192.168.1.0/24\"}")));
        routes.put("DELETE /api/v1/sim/subnet-routes", new Route(Kind.SIM_CHANGE, null));
        routes.put("GET /api/v1/snapshot", new Route(Kind.SNAPSHOT, null));
        return Map.copyOf(routes);
    }

    private static final Map<Integer, String> MEANING = Map.ofEntries(
            Map.entry(200, "OK"),
            Map.entry(201, "Stored"),
            Map.entry(202, "Accepted: the operation runs in the background (Location: /api/v1/operations/{id})"),
            Map.entry(304, "Not modified since the ETag sent in If-None-Match"),
            Map.entry(400, "Invalid input: the problem names the field at fault; nothing was changed"),
            Map.entry(401, "No bearer token, or one the service does not know"),
            Map.entry(403, "The token's role may not do this"),
            Map.entry(404, "No such cluster, operation or link"),
            Map.entry(409, "Conflict: another operation runs on the cluster, links remain, Helm owns the object, ..."),
            Map.entry(413, "Request body larger than 1 MB"),
            Map.entry(502, "A cluster's API server did not answer"),
            Map.entry(503, "The mesh is not healthy (the body is the full health report)"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components =
                openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSecurityScheme(
                BEARER,
                OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description(
                                "A viewer or operator token (mesh.auth.tokens.*); viewers read, operators also change."));
        components.addSchema("Problem", problemSchema());
        components.addSchema("DryRun", dryRunSchema());
        openAPI.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(BEARER)));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths()
                .getPathItems()
                .forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
                    Route route = ROUTES.get(method + " " + path);
                    if (route != null) {
                        document(path, method, operation, route);
                    }
                }));
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation, Route route) {
        APIResponses generated = operation.getResponses();
        APIResponse ok = generated == null ? null : generated.getAPIResponse("200");
        Content okContent = ok == null ? null : ok.getContent();
        APIResponses responses = OASFactory.createAPIResponses();
        for (int code : route.kind().codes) {
            responses.addAPIResponse(String.valueOf(code), response(code, route.kind(), okContent));
        }
        operation.setResponses(responses);
        if (route.kind() == Kind.HEALTH) {
            // Anonymous callers may read health when mesh.auth.anonymous-health=true.
            operation.setSecurity(List.of(
                    OASFactory.createSecurityRequirement().addScheme(BEARER), OASFactory.createSecurityRequirement()));
        }
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if ("dryRun".equals(parameter.getName()) || "force".equals(parameter.getName())) {
                    parameter.setSchema(OASFactory.createSchema().type(List.of(Schema.SchemaType.BOOLEAN)));
                    parameter.setDescription(
                            "dryRun".equals(parameter.getName())
                                    ? "true: answer 200 with the ordered plan and change nothing"
                                    : "true: disable even while links remain (they are removed too)");
                }
            }
        }
        if (route.body() != null && operation.getRequestBody() != null) {
            operation.getRequestBody().setRequired(route.body().required());
            if (route.body().example() != null && operation.getRequestBody().getContent() != null) {
                MediaType json = operation.getRequestBody().getContent().getMediaType(JSON);
                if (json != null) {
                    json.setExample(route.body().example());
                }
            }
        }
    }

    private static APIResponse response(int code, Kind kind, Content generatedOk) {
        APIResponse response = OASFactory.createAPIResponse().description(MEANING.get(code));
        if (code >= 400 && !(code == 503 && kind == Kind.HEALTH)) {
            return response.content(content(Problem.MEDIA_TYPE, ref("Problem")));
        }
        return switch (code) {
            case 202 ->
                response.content(content(JSON, ref("Operation")))
                        .addHeader(
                                "Location",
                                OASFactory.createHeader()
                                        .description("/api/v1/operations/{id}")
                                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))));
            case 200 ->
                switch (kind) {
                    case MUTATION, DISCONNECT ->
                        response.description("Dry run (?dryRun=true): the ordered plan; nothing was changed")
                                .content(content(JSON, ref("DryRun")));
                    default -> response.content(generatedOk);
                };
            case 503 -> response.content(generatedOk);
            case 201 -> response.content(generatedOk == null ? content(JSON, ref("CheckRun")) : generatedOk);
            default -> response;
        };
    }

    private static Content content(String mediaType, Schema schema) {
        return OASFactory.createContent()
                .addMediaType(mediaType, OASFactory.createMediaType().schema(schema));
    }

    private static Schema ref(String name) {
        return OASFactory.createSchema().ref("#/components/schemas/" + name);
    }

    private static Schema string() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details")
                .addProperty(
                        "type",
                        string().description("stable: /problems/<slug>").examples(List.of("/problems/invalid-input")))
                .addProperty("title", string())
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", string())
                .addProperty(
                        "field",
                        string().description("the request field at fault").examples(List.of("serviceType")))
                .addProperty("instance", string());
    }

    private static Schema dryRunSchema() {
        Schema change = OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("cluster", string())
                .addProperty("action", string().examples(List.of("create")))
                .addProperty("kind", string().examples(List.of("Deployment")))
                .addProperty("namespace", string())
                .addProperty("name", string().examples(List.of(CiliumNames.APISERVER)))
                .addProperty("summary", string());
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("dryRun", OASFactory.createSchema().type(List.of(Schema.SchemaType.BOOLEAN)))
                .addProperty("kind", string().examples(List.of("enable")))
                .addProperty("target", string().examples(List.of("homelab")))
                .addProperty(
                        "plan",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.ARRAY))
                                .items(change))
                .addProperty(
                        "warnings",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.ARRAY))
                                .items(string()));
    }
}
