resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  enable_dns_hostnames = true
}
resource "aws_subnet" "a" {
  vpc_id = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_security_group" "vpce" {
  vpc_id = aws_vpc.main.id
  name = "vpce"
}
resource "aws_vpc_endpoint" "sts" {
  vpc_id = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.sts"
  vpc_endpoint_type = "Interface"
  subnet_ids = [aws_subnet.a.id]
  private_dns_enabled = true
}
resource "aws_vpc_endpoint_security_group_association" "sts" {
  vpc_endpoint_id = aws_vpc_endpoint.sts.id
  security_group_id = aws_security_group.vpce.id
}
