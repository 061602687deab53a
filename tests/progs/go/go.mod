module memlock.test/gohold

go 1.19
