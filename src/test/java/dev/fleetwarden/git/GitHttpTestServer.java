package dev.fleetwarden.git;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * One repository over smart HTTP (JGit's GitServlet in Jetty, on 127.0.0.1 and a free port), behind
 * basic auth with one user and token, as a Git host takes tokens. Pushes are allowed once
 * authenticated.
 */
final class GitHttpTestServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final String repoName;

  GitHttpTestServer(Repository repository, String user, String token) throws Exception {
    repoName = repository.getDirectory().getName();
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);

    GitServlet git = new GitServlet();
    git.setRepositoryResolver(
        (req, name) -> {
          if (!name.equals(repoName)) {
            throw new RepositoryNotFoundException(name);
          }
          repository.incrementOpen();
          return repository;
        });
    git.setReceivePackFactory((req, db) -> new ReceivePack(db));

    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    Filter basicAuth =
        (request, response, chain) -> {
          String given = ((HttpServletRequest) request).getHeader("Authorization");
          if (!expected.equals(given)) {
            HttpServletResponse res = (HttpServletResponse) response;
            res.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
            res.sendError(401);
            return;
          }
          chain.doFilter(request, response);
        };

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/git");
    context.addFilter(new FilterHolder(basicAuth), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(git), "/*");
    server.setHandler(context);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/git/" + repoName;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
