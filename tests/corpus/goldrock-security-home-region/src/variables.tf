variable "securityhub_full_deploy" {
  description = "If set to true will deploy Security Hub"
  type   = bool
  default = false
}

variable "name" {
  default = "goldrock"
}
