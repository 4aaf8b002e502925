//! Set-ups that tests share, this crate's and the end-to-end tests' (`ctsim-e2e`), which
//! reach only public items. Not part of the simulator's API.

use serde_json::json;

use crate::{AwsError, CallerContext, Simulator};

/// A log bucket with the bucket policy the CloudTrail guide documents, and a trail that
/// writes to it and is logging. [`Default`] is a single-region trail `audit` without log
/// file validation into the bucket `logs`.
#[derive(Debug, Clone)]
pub struct LoggingTrail<'a> {
    pub bucket: &'a str,
    pub trail: &'a str,
    /// `IsMultiRegionTrail`.
    pub multi_region: bool,
    /// `EnableLogFileValidation`.
    pub log_file_validation: bool,
    /// An `ApiCallRateInsight` selector, put before logging starts.
    pub insights: bool,
}

impl Default for LoggingTrail<'_> {
    fn default() -> Self {
        LoggingTrail {
            bucket: "logs",
            trail: "audit",
            multi_region: false,
            log_file_validation: false,
            insights: false,
        }
    }
}

impl LoggingTrail<'_> {
    /// Makes the calls as `ctx`, in order: CreateBucket, PutBucketPolicy, CreateTrail,
    /// PutInsightSelectors (with `insights`) and StartLogging. `EnableLogFileValidation` is
    /// sent only when on, `IsMultiRegionTrail` only when on.
    pub fn create(&self, sim: &Simulator, ctx: &CallerContext) -> Result<(), AwsError> {
        let (bucket, trail) = (self.bucket, self.trail);
        let policy = crate::policy::documented_bucket_policy(bucket, None, &ctx.account_id);
        sim.invoke(ctx, "s3", "CreateBucket", json!({"Bucket": bucket}))?;
        sim.invoke(
            ctx,
            "s3",
            "PutBucketPolicy",
            json!({"Bucket": bucket, "Policy": policy}),
        )?;
        let mut create = json!({"Name": trail, "S3BucketName": bucket});
        if self.multi_region {
            create["IsMultiRegionTrail"] = json!(true);
        }
        if self.log_file_validation {
            create["EnableLogFileValidation"] = json!(true);
        }
        sim.invoke(ctx, "cloudtrail", "CreateTrail", create)?;
        if self.insights {
            sim.invoke(
                ctx,
                "cloudtrail",
                "PutInsightSelectors",
                json!({"TrailName": trail,
                       "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}),
            )?;
        }
        sim.invoke(ctx, "cloudtrail", "StartLogging", json!({"Name": trail}))?;
        Ok(())
    }
}
