resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_ec2_managed_prefix_list" "admins" {
  name = "admins"
  address_family = "IPv4"
  max_entries = 1
  entry { cidr = "203.0.113.0/24" }
}
resource "aws_ec2_managed_prefix_list" "anywhere" {
  name = "anywhere"
  address_family = "IPv4"
  max_entries = 1
  entry { cidr = "0.0.0.0/0" }
}
resource "aws_security_group" "web" {
  vpc_id = aws_vpc.main.id
  name = "web"
  ingress {
    from_port = 22
    to_port = 22
    protocol = "tcp"
    prefix_list_ids = [aws_ec2_managed_prefix_list.admins.id]
  }
  ingress {
    from_port = 443
    to_port = 443
    protocol = "tcp"
    prefix_list_ids = [aws_ec2_managed_prefix_list.anywhere.id]
  }
}
