print("zong")
