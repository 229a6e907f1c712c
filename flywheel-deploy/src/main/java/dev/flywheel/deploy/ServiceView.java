package dev.flywheel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.deploy.service.ServiceRecord;

/**
 * A service as {@code served-models list} and {@code describe} show it: its record (status observed now), what it
 * follows, and the version that is (from the registry, now).
 *
 * @param expectedVersion the version the followed stage or alias names now, or 0 when it names none
 * @param mismatch        why the service does not serve what it follows ({@code "production is version 3"}), or null
 */
public record ServiceView(Service service, ServiceRecord record, String follows, int expectedVersion, String mismatch) {

    public boolean inSync() {
        return mismatch == null;
    }

    /** The JSON of {@code served-models list --json} and the REST API: the record's fields and how it follows. */
    public JsonNode toJson() {
        ObjectNode n = (ObjectNode) ServiceJson.record(record);
        n.put("expectedVersion", expectedVersion);
        n.put("inSync", inSync());
        n.put("mismatch", mismatch);
        return n;
    }
}
