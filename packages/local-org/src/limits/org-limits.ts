/**
 * The static part of `GET /limits`: the org's other allocations, with the Max of an Enterprise
 * Edition org and nothing used. Names and shape (`{Max, Remaining}`) are Salesforce's; modules that
 * really consume one of them (the Bulk API, streaming) replace its entry with a live reading via
 * `registerLimit`.
 */

/** One entry of `GET /limits`. */
export interface OrgLimit {
  Max: number;
  Remaining: number;
}

const unused = (max: number): OrgLimit => ({ Max: max, Remaining: max });

/** Fresh copies of the default entries, keyed by Salesforce's names. */
export function defaultOrgLimits(): Record<string, OrgLimit> {
  return {
    ConcurrentAsyncGetReportInstances: unused(200),
    ConcurrentSyncReportRuns: unused(20),
    DailyAsyncApexExecutions: unused(250_000),
    DailyAsyncApexTests: unused(500),
    /** Bulk API batches (1.0 batches and 2.0 internal 10,000-record chunks), per rolling 24 h. */
    DailyBulkApiBatches: unused(15_000),
    DailyBulkV2QueryFileStorageMB: unused(976_562),
    DailyBulkV2QueryJobs: unused(10_000),
    DailyDeliveredPlatformEvents: unused(50_000),
    DailyDurableGenericStreamingApiEvents: unused(1_000_000),
    DailyDurableStreamingApiEvents: unused(1_000_000),
    DailyGenericStreamingApiEvents: unused(1_000_000),
    DailyStandardVolumePlatformEvents: unused(1_000_000),
    DailyStreamingApiEvents: unused(1_000_000),
    DailyWorkflowEmails: unused(1_000_000),
    DataStorageMB: unused(10_240),
    DurableStreamingApiConcurrentClients: unused(2_000),
    FileStorageMB: unused(10_240),
    HourlyAsyncReportRuns: unused(1_200),
    HourlyDashboardRefreshes: unused(200),
    HourlyDashboardResults: unused(5_000),
    HourlyDashboardStatuses: unused(999_999_999),
    HourlyODataCallout: unused(20_000),
    HourlyPublishedPlatformEvents: unused(250_000),
    HourlyPublishedStandardVolumePlatformEvents: unused(100_000),
    HourlySyncReportRuns: unused(500),
    HourlyTimeBasedWorkflow: unused(1_000),
    MassEmail: unused(5_000),
    SingleEmail: unused(5_000),
    StreamingApiConcurrentClients: unused(2_000),
  };
}
