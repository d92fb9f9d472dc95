print("gpupool")
