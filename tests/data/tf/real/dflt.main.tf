resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_internet_gateway" "gw" { vpc_id = aws_vpc.main.id }
resource "aws_default_route_table" "d" {
  default_route_table_id = aws_vpc.main.default_route_table_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table" "private" { vpc_id = aws_vpc.main.id }
resource "aws_default_security_group" "d" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol  = "tcp"
    from_port = 22
    to_port   = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_default_network_acl" "d" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
  ingress {
    protocol = "-1"
    rule_no = 100
    action = "deny"
    cidr_block = "0.0.0.0/0"
    from_port = 0
    to_port = 0
  }
}
resource "aws_network_acl_association" "a" {
  network_acl_id = aws_default_network_acl.d.id
  subnet_id = aws_subnet.a.id
}
resource "aws_route_table_association" "a" {
  subnet_id = aws_subnet.a.id
  route_table_id = aws_default_route_table.d.id
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"
  role_arn = "arn:aws:iam::111122223333:role/r"
  instance_type = "ml.t3.medium"
  subnet_id = aws_subnet.a.id
  security_groups = [aws_default_security_group.d.id]
  direct_internet_access = "Disabled"
  root_access = "Disabled"
}
