package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.transforms.events.EventIds;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.models.ActiveModels;
import java.util.ArrayList;
import java.util.List;

/**
 * Events about the platform itself, in the shared envelope: {@code model_version_changed} (a reference
 * now serves another version; published for every change, including the first resolution at
 * start), {@code model_version_refused} (a version that could not be downloaded, verified, loaded or
 * warmed up; what served before keeps serving) and {@code registry_unavailable}.
 */
public final class PlatformEvents {
  private PlatformEvents() {}

  /** The events that going from {@code before} to {@code after} produces. */
  public static List<String> diff(ActiveModels before, ActiveModels after, EventJson.Envelope env, long now) {
    List<String> out = new ArrayList<>();
    for (ActiveModels.Entry e : after.active().values()) {
      ActiveModels.Entry old = before.forRef(e.ref());
      if (old != null && old.version().cacheKey().equals(e.version().cacheKey())) {
        continue;
      }
      String id = EventIds.nameBased("model_version_changed|" + e.ref() + "|" + e.version().cacheKey() + "|" + after.generation()).toString();
      out.add(EventJson.write(g -> {
        EventJson.envelope(g, id, now, env, "model_version_changed");
        g.writeStringField("ref", e.ref());
        g.writeStringField("model_id", e.modelId());
        g.writeStringField("model_version", e.version().versionLabel());
        g.writeStringField("registry_version", e.version().version());
        g.writeStringField("model_type", e.metadata().modelType().code());
        g.writeStringField("timeframe", e.metadata().timeframe().code());
        if (old != null) {
          g.writeStringField("previous_model_version", old.version().versionLabel());
          g.writeStringField("previous_registry_version", old.version().version());
        }
        g.writeStringField("sha256", e.version().sha256());
      }));
    }
    for (ActiveModels.Refusal r : after.refusals()) {
      String type = r.reason().equals("registry_unavailable") ? "registry_unavailable" : "model_version_refused";
      String id = EventIds.nameBased(type + "|" + r.ref() + "|" + r.version() + "|" + after.generation()).toString();
      ActiveModels.Entry serving = after.forRef(r.ref());
      out.add(EventJson.write(g -> {
        EventJson.envelope(g, id, now, env, type);
        g.writeStringField("ref", r.ref());
        g.writeStringField("model_id", r.modelId());
        if (r.version() != null) {
          g.writeStringField("registry_version", r.version());
        }
        g.writeStringField("reason", r.reason());
        g.writeStringField("message", r.message());
        if (serving != null) {
          g.writeStringField("still_serving", serving.version().versionLabel());
        }
      }));
    }
    return out;
  }
}
