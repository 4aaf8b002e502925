output "keys" {
  description = "Maps of alias => key objects"
  value       = aws_kms_key.this
}
