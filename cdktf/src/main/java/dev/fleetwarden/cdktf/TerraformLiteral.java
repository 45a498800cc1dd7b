package dev.fleetwarden.cdktf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strings as Terraform literals. Terraform reads every string of a JSON configuration (values and
 * the keys of maps) as a template: {@code ${...}} is an expression ({@code ${file("/etc/passwd")}}
 * reads a host file) and {@code %{...}} a directive. Escaped as {@code $${} and {@code %%{}, they
 * stand for themselves. CDKTF writes its own references between resources as {@code ${...}}, so
 * the escaping is applied to the stack's inputs, never to the synthesized JSON.
 */
public final class TerraformLiteral {
  private TerraformLiteral() {}

  /** {@code text} written so that Terraform reads exactly {@code text}. */
  public static String escape(String text) {
    return text == null ? null : text.replace("${", "$${").replace("%{", "%%{");
  }

  /**
   * The literal a Terraform template string stands for, or null when it holds an interpolation or a
   * directive (its value is then only known to Terraform).
   */
  public static String literal(String template) {
    StringBuilder out = new StringBuilder(template.length());
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if ((c == '$' || c == '%') && template.startsWith(c + "{", i + 1)) {
        out.append(c).append('{');
        i += 3;
      } else if ((c == '$' || c == '%') && template.startsWith("{", i + 1)) {
        return null;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * The inputs with every string escaped, for the attributes of resources and providers. The
   * backend block is not a template (Terraform reads it literally): it takes the inputs as they
   * are.
   */
  public static StackInputs inputs(StackInputs in) {
    List<StackInputs.NodeGroup> groups = new ArrayList<>();
    for (StackInputs.NodeGroup g : in.nodeGroups()) {
      groups.add(
          new StackInputs.NodeGroup(
              escape(g.name()),
              escape(g.instanceType()),
              g.minSize(),
              g.maxSize(),
              g.desiredSize()));
    }
    return new StackInputs(
        escape(in.cluster()),
        in.management(),
        escape(in.environment()),
        escape(in.region()),
        escape(in.vpcCidr()),
        in.availabilityZones().stream().map(TerraformLiteral::escape).toList(),
        escape(in.kubernetesVersion()),
        groups,
        in.allowedCidrs().stream().map(TerraformLiteral::escape).toList(),
        map(in.tags()));
  }

  /** A map with its keys and values escaped. */
  public static Map<String, String> map(Map<String, String> m) {
    Map<String, String> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(escape(k), escape(v)));
    return out;
  }
}
