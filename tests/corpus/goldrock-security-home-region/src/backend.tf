terraform {
  backend "s3" {
  }
}