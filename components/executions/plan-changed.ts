import { ApiError } from "@/components/api/fetch-json";

/** The words for an error from an execution call, plan changes spelled out. */
export function describeExecutionError(error: unknown): { title: string; message: string; planChanged: boolean } {
  if (error instanceof ApiError) {
    if (error.body.error === "plan_changed") {
      return { title: "The plan changed since it was reviewed", message: error.body.message, planChanged: true };
    }
    if (error.status === 403) return { title: "Not allowed", message: error.body.message, planChanged: false };
    if (error.status === 409) return { title: "Refused", message: error.body.message, planChanged: false };
    return { title: "That did not work", message: error.body.message, planChanged: false };
  }
  return { title: "That did not work", message: error instanceof Error ? error.message : String(error), planChanged: false };
}
