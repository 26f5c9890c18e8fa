resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_security_group" "bastion" {
  vpc_id = aws_vpc.main.id
  name = "bastion"
}
resource "aws_security_group" "nb" {
  vpc_id = aws_vpc.main.id
  name = "nb"
  dynamic "ingress" {
    for_each = [22, 8888]
    content {
      from_port = ingress.value
      to_port = ingress.value
      protocol = "tcp"
      security_groups = [aws_security_group.bastion.id]
    }
  }
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"
  role_arn = "arn:aws:iam::111122223333:role/r"
  instance_type = "ml.t3.medium"
  subnet_id = aws_subnet.a.id
  security_groups = [aws_security_group.nb.id]
  direct_internet_access = "Disabled"
  root_access = "Disabled"
}
