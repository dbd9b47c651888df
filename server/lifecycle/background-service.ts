/**
 * Long-running work a process hosts besides the web server (the migration worker, the health
 * refresher, the schedule firer, retention): each feature's starter returns one of these and the
 * runtime stops them in order at shutdown.
 */
export interface BackgroundService {
  name: string;
  stop: () => Promise<void>;
}
