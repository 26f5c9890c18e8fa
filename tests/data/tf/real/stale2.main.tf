resource "aws_security_group" "nb" {
  vpc_id = "vpc-0aaaaaaaaaaaaaaa1"
  name = "nb"
}
