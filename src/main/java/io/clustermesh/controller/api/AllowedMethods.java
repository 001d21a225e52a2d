package io.clustermesh.controller.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The methods each API route has, for the {@code Allow} header of a 405 (RFC 9110 §15.5.6): the
 * framework refuses the method but does not say which ones would do. Read from the resources'
 * own annotations, so a new method is listed without an edit here.
 */
final class AllowedMethods {
    private static final List<Class<?>> RESOURCES = List.of(
            ClustersResource.class,
            LinksResource.class,
            MeshResource.class,
            OperationsResource.class,
            ReachabilityResource.class,
            RotationResource.class,
            WhoamiResource.class,
            AuditResource.class,
            HealthResource.class,
            LinkHistoryResource.class,
            ChecksResource.class);
    private static final Map<Pattern, Set<String>> ROUTES = routes();

    private AllowedMethods() {}

    /** The methods of the route {@code path} matches, as an Allow header value, or null when none matches. */
    static String forPath(String path) {
        Set<String> methods = new TreeSet<>();
        ROUTES.forEach((route, allowed) -> {
            if (route.matcher(path).matches()) {
                methods.addAll(allowed);
            }
        });
        if (methods.isEmpty()) {
            return null;
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }

    private static Map<Pattern, Set<String>> routes() {
        Map<String, Set<String>> byTemplate = new TreeMap<>();
        for (Class<?> resource : RESOURCES) {
            Path base = resource.getAnnotation(Path.class);
            for (Method method : resource.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String template = (base == null ? "" : base.value())
                        + (sub == null ? "" : (sub.value().startsWith("/") ? "" : "/") + sub.value());
                byTemplate
                        .computeIfAbsent(template.replaceAll("/+$", ""), t -> new TreeSet<>())
                        .add(verb);
            }
        }
        return byTemplate.entrySet().stream()
                .collect(Collectors.toMap(
                        e -> Pattern.compile(
                                Pattern.quote(e.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "/?"),
                        Map.Entry::getValue));
    }

    private static String verb(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }
}
