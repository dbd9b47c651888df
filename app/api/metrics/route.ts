// GET /api/metrics — Prometheus scrape: infrastructure:admin, or the METRICS_TOKEN shared secret.
import { getSettings } from "@/server/config/settings";
import { route } from "@/server/http/route";
import { getPrometheusMetrics } from "@/server/metrics/api";
import { renderMetrics } from "@/server/metrics/prometheus";

export const GET = route(
  getPrometheusMetrics,
  async () => {
    const { contentType, text } = await renderMetrics();
    return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  },
  { serviceToken: () => getSettings().metricsToken },
);
