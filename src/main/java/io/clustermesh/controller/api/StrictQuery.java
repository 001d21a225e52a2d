package io.clustermesh.controller.api;

import io.clustermesh.controller.problems.ProblemException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The query string of a mutation must say exactly one thing. A parameter the route does not
 * declare, a name in another case ({@code dryrun}), a parameter given twice, and a flag that is
 * not exactly {@code true} or {@code false} ({@code ?dryRun}, {@code ?dryRun=}) are refused before
 * anything runs: a misspelt dry run that ran for real wrote 12 objects (issue 15). The routes'
 * own {@code @QueryParam}s are the list of accepted names, so a new parameter needs no edit here.
 */
public class StrictQuery {
    /** Parameters that are yes/no switches. */
    static final Set<String> FLAGS = Set.of("dryRun", "force");

    private static final int MAX_NAME = 40;

    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        if (Access.isRead(request.getMethod()) || resource == null || resource.getResourceMethod() == null) {
            return;
        }
        Set<String> accepted = declared.computeIfAbsent(resource.getResourceMethod(), StrictQuery::queryParameters);
        for (Map.Entry<String, List<String>> parameter :
                request.getUriInfo().getQueryParameters(true).entrySet()) {
            check(parameter.getKey(), parameter.getValue(), accepted);
        }
    }

    static void check(String name, List<String> values, Set<String> accepted) {
        if (!accepted.contains(name)) {
            String meant = accepted.stream()
                    .filter(a -> a.equalsIgnoreCase(name))
                    .findFirst()
                    .orElse(null);
            if (meant != null) {
                throw ProblemException.invalid(
                        meant, "query parameter names are case-sensitive: write " + meant + ", not " + shorten(name));
            }
            throw ProblemException.invalid(
                    shorten(name),
                    "unknown query parameter '" + shorten(name) + "'; this route accepts "
                            + (accepted.isEmpty()
                                    ? "none"
                                    : String.join(
                                            ", ", accepted.stream().sorted().toList())));
        }
        if (values.size() != 1) {
            throw ProblemException.invalid(name, name + " is given " + values.size() + " times; give it once");
        }
        if (FLAGS.contains(name)
                && !values.get(0).equals("true")
                && !values.get(0).equals("false")) {
            throw ProblemException.invalid(name, name + " must be exactly true or false");
        }
    }

    private static Set<String> queryParameters(Method method) {
        Set<String> names = new HashSet<>();
        // ?wait= belongs to every mutation through a filter (OperationWait), not to a resource parameter.
        names.add(OperationWait.PARAM);
        for (Parameter parameter : method.getParameters()) {
            for (Annotation annotation : parameter.getAnnotations()) {
                if (annotation instanceof QueryParam q) {
                    names.add(q.value());
                } else if (annotation instanceof RestQuery q) {
                    names.add(q.value().isEmpty() ? parameter.getName() : q.value());
                }
            }
        }
        return Set.copyOf(names);
    }

    private static String shorten(String name) {
        String printable = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return printable.length() > MAX_NAME ? printable.substring(0, MAX_NAME) + "…" : printable;
    }
}
