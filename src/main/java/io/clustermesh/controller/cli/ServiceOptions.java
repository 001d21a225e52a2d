package io.clustermesh.controller.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the service is and how to authenticate. The token comes from {@code --token},
 * {@code --token-file} or {@code MESH_TOKEN}, in that order; it is never printed.
 */
final class ServiceOptions {
    static final String TOKEN_ENV = "MESH_TOKEN";
    static final String SERVER_ENV = "MESH_SERVER";
    static final String DEFAULT_SERVER = "http://localhost:8080";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "the running service (default: $MESH_SERVER or " + DEFAULT_SERVER + ")")
    String server;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "file holding the bearer token (viewer, or operator for changes)")
    Path tokenFile;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "the bearer token itself (visible to other local users in the process list: prefer --token-file or $MESH_TOKEN)")
    String token;

    ServiceClient client() {
        var env = MeshCli.of(mixee).env();
        String url = server != null ? server : env.getOrDefault(SERVER_ENV, DEFAULT_SERVER);
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new CliFailure(CliFailure.SERVICE, "--server is not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new CliFailure(CliFailure.SERVICE, "--server must be an http(s) URL, such as " + DEFAULT_SERVER);
        }
        return new ServiceClient(uri, token(env));
    }

    private String token(java.util.Map<String, String> env) {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CliFailure(
                        CliFailure.SERVICE,
                        "cannot read --token-file " + tokenFile + ": "
                                + e.getClass().getSimpleName());
            }
        }
        String fromEnv = env.get(TOKEN_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
    }
}
