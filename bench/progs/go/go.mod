module memlock.bench/gobench

go 1.19
