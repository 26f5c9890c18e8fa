resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "s" {
  vpc_id = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_network_acl" "a" {
  vpc_id = aws_vpc.main.id
  subnet_ids = [aws_subnet.s.id]
}
resource "aws_network_acl_rule" "in_tcp" {
  network_acl_id = aws_network_acl.a.id
  rule_number = 100
  egress = false
  protocol = "tcp"
  rule_action = "allow"
  cidr_block = "0.0.0.0/0"
}
