package org.octgateway.storage;

/**
 * Where a job's result is written: the template {@code gateway.result-path-template} with {@code {path}}
 * replaced by the input object's name without its extension. Deterministic, so a re-run overwrites
 * the same result; input names are validated to have no '.' or '..' segments, so the result stays
 * under the template's prefix.
 */
public class ResultPaths {

    public static final String PATH = "{path}";
    private final String template;

    public ResultPaths(String template) {
        if (template == null || !template.contains(PATH)) {
            throw new IllegalArgumentException("gateway.result-path-template must contain " + PATH + ": " + template);
        }
        this.template = template;
    }

    public String forInput(String objectName) {
        int slash = objectName.lastIndexOf('/');
        int dot = objectName.lastIndexOf('.');
        String withoutExtension = dot > slash + 1 ? objectName.substring(0, dot) : objectName;
        return template.replace(PATH, withoutExtension);
    }
}
