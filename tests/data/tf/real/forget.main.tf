removed {
  from = aws_flow_log.vpc
  lifecycle { destroy = false }
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"
  role_arn = "arn:aws:iam::111122223333:role/r"
  instance_type = "ml.t3.medium"
  subnet_id = aws_subnet.a.id
  security_groups = [aws_vpc.main.default_security_group_id]
  direct_internet_access = "Disabled"
  root_access = "Disabled"
}
