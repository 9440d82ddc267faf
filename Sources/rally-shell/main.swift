import RallyEngine
print(RallyLua.version)
