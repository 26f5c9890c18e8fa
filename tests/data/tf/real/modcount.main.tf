module "vpc" {
  source = "./vpc"
  count  = 1
}
resource "aws_security_group" "nb" {
  vpc_id = module.vpc[0].vpc_id
  name = "nb"
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"
  role_arn = "arn:aws:iam::111122223333:role/r"
  instance_type = "ml.t3.medium"
  subnet_id = module.vpc[0].private_subnet_id
  security_groups = [aws_security_group.nb.id]
  direct_internet_access = "Disabled"
  root_access = "Disabled"
}
