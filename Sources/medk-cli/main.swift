import ArgumentParser
import MEDKServer
print("x")
