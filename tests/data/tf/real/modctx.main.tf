resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  count = 2
  vpc_id = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}
module "ep" {
  source = "./ep"
  count = 2
  vpc_id = aws_vpc.main.id
  subnet_id = aws_subnet.a[count.index].id
}
