resource "aws_glue_catalog_database" "cloudtrail" {
  name = "cloudtrail"
}
