/// A small vector file in snow's layout (`{"vectors": [...]}`, no `handshake_hash`, `init_psks`
/// lists, optional `fail`, `hybrid`, `fallback` and `fallback_pattern`), so that the reader is
/// shown to take snow-generated files as well as cacophony's.
///
/// The first two vectors transcribe the keys, payloads and ciphertexts of snow's
/// `Noise_NNpsk0+psk2_25519_ChaChaPoly_SHA256` and `Noise_XX_25519_AESGCM_SHA512` vectors
/// (mcginty/snow, tests/vectors/snow.txt). The third is the first with the responder's first
/// PSK changed and `"fail": true`: the responder must refuse the first message. The last
/// three name features this implementation does not have (BLAKE2s, a hybrid DH, a fallback
/// pattern) and must be reported as skipped.
enum SnowFormatFixture {
    static let json = #"""
{
  "vectors": [
    {
      "protocol_name": "Noise_NNpsk0+psk2_25519_ChaChaPoly_SHA256",
      "init_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "init_psks": [
        "198fd1f065a2189e08601b528466c8cf8aec05a4816a8a61fec565d8c12ecf04",
        "a1a156e77447faccbe3822d80cd53d3941299f7f717c4c7e6fbc06927ee17224"
      ],
      "init_ephemeral": "24ad913c4fdeae0cdd7a44f70d0dc625b22f29e15ed8dca775d981012a3491ff",
      "resp_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "resp_psks": [
        "198fd1f065a2189e08601b528466c8cf8aec05a4816a8a61fec565d8c12ecf04",
        "a1a156e77447faccbe3822d80cd53d3941299f7f717c4c7e6fbc06927ee17224"
      ],
      "resp_ephemeral": "c53a56ddfd32229f424a732a427f22ad1bf37e6878db43a12283f60a101a79fa",
      "messages": [
        {
          "payload": "abb6b87769fa6f5731060e734f0fc34f032cc7db99265abdcfd660493a4a53d4",
          "ciphertext": "f6dd88576fa3bb6f3c3522e8f7539747529609442bd22e1ce06c6ad05cb56d3e3e5965d4d3ee60223c34873cae9e8c4b3462a780911c3d0567608419a9ecc7f433ed9f4f3b222fe954d6dd2abac6e30c"
        },
        {
          "payload": "3b91c761cea263d20482ffc06639b7a87f87c0bb0926b9c6d47d45a10c8de9eb",
          "ciphertext": "83b28e814d65fb36070122d93621372b1216e8e628b001b6022c0bd4e8d88f0cbb8ef0a31f97d5eb579d067b717a2e75df1aae73e87d6e7c3f7721ba7fc3fc2e47a7ad6770db3cc83997ef9a9e8dddc7"
        },
        {
          "payload": "eb8fc205a11e2108150c2f4837fad0102ee4a586168a64f21f77c016c18a39d4",
          "ciphertext": "28d536188b139d907b7320893550964d2464617e36ff4061d95e7a16eaee93d22845c4e8e4530a86d828a9d40198db24"
        },
        {
          "payload": "6465c036eff856efdde1e63cddc4657322fb2fdc50e41b5d8f16c5f80db36933",
          "ciphertext": "179a6f5ba91b457f8eb302c0c089d37d3d446aa7f1eb00b8f3bb178df4d652466d0ebec66909ba9f5d5bf19111525538"
        }
      ]
    },
    {
      "protocol_name": "Noise_XX_25519_AESGCM_SHA512",
      "init_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "init_psks": [],
      "init_static": "8d5174a5600a67bd2232ddd6e2747d182a2ad2f7a27ef9764eae76d1c60c92b8",
      "init_ephemeral": "6ee0262f25d8abe81ddf375d26c317a9b50bcd2f3db6b867d6bcb3a42952ade3",
      "resp_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "resp_psks": [],
      "resp_static": "9b0879b6fb349f3babf26068f8c1ac6ae997e4e9e4da116be1444754f86f33cf",
      "resp_ephemeral": "ce23c805ac06274089a1cdd1ebd4640df43292059f376cda15f73cdd784dd806",
      "messages": [
        {
          "payload": "6852c43e868c151d29a1f2ff37b01081657952b77a76d5a8d459491ea584343e",
          "ciphertext": "60785df9f79aa58006a2fc57a6eaa4882af2cd2e08c555564be2d42b9d9d9c646852c43e868c151d29a1f2ff37b01081657952b77a76d5a8d459491ea584343e"
        },
        {
          "payload": "012efeed1eb102c954fbaaa854d60b9b93a0b528c7697936bbf2126d623129c5",
          "ciphertext": "8ea65a1370241e12e7ec371981a17a0165b2f601500ff944859036b2caac3b06410ff8e2d9b47014adc6a76da6ff4ca31b2e3869f7ae7a7a5924df1a1553d6d2b0619adf2425fde93280e6b8f3346cb690a2e394111f1924385d597bd72a20aa508e34958926e5ed69684031323b7472a1f839f521e2590cbcd97a3b02afb042"
        },
        {
          "payload": "3efbbc2c6494aef9ff99fa8da10d4dda1d2856519eab5d58e1b0ec14250a1f51",
          "ciphertext": "f7f98e1e5c9cb8121eec52a985738d4f06b769b3948f3c3e5bbf7071c0c0239eaaa9a58e1c3f82bb5273a904e96e9c634f91184d006aa7cd522ec3ae38b91290e28a3794b865c51833484851be2e451b1510fc2da6ee2b62b0bb33ab0d11cdbb"
        },
        {
          "payload": "3b91256c79a5bc4813326da56a2e1eb8af34d1cb8b3f5dfb5e323b30cf6ff109",
          "ciphertext": "d260851cd0a9b0d270881d3212e072e529ec368feca2a2d364c5b376be8cbf582f0a7e684313d328b6770dfc76341bd6"
        },
        {
          "payload": "deedd8a2fadb9afe27c367d9d60075e5b151d6a910a90b60b305ebc3612c9fef",
          "ciphertext": "e5fab5cdb70f13180c2f46cfa17e52c9a2557955ea9b456c30c8ea2173e2f9369dbd2f4bf6e9cf80cfddb2aea1c49a30"
        }
      ]
    },
    {
      "protocol_name": "Noise_NNpsk0+psk2_25519_ChaChaPoly_SHA256",
      "init_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "init_psks": [
        "198fd1f065a2189e08601b528466c8cf8aec05a4816a8a61fec565d8c12ecf04",
        "a1a156e77447faccbe3822d80cd53d3941299f7f717c4c7e6fbc06927ee17224"
      ],
      "init_ephemeral": "24ad913c4fdeae0cdd7a44f70d0dc625b22f29e15ed8dca775d981012a3491ff",
      "resp_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "resp_psks": [
        "098fd1f065a2189e08601b528466c8cf8aec05a4816a8a61fec565d8c12ecf04",
        "a1a156e77447faccbe3822d80cd53d3941299f7f717c4c7e6fbc06927ee17224"
      ],
      "resp_ephemeral": "c53a56ddfd32229f424a732a427f22ad1bf37e6878db43a12283f60a101a79fa",
      "messages": [
        {
          "payload": "abb6b87769fa6f5731060e734f0fc34f032cc7db99265abdcfd660493a4a53d4",
          "ciphertext": "f6dd88576fa3bb6f3c3522e8f7539747529609442bd22e1ce06c6ad05cb56d3e3e5965d4d3ee60223c34873cae9e8c4b3462a780911c3d0567608419a9ecc7f433ed9f4f3b222fe954d6dd2abac6e30c"
        }
      ],
      "fail": true
    },
    {
      "protocol_name": "Noise_NN_25519_ChaChaPoly_BLAKE2s",
      "init_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "init_psks": [],
      "init_ephemeral": "24ad913c4fdeae0cdd7a44f70d0dc625b22f29e15ed8dca775d981012a3491ff",
      "resp_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "resp_psks": [],
      "resp_ephemeral": "c53a56ddfd32229f424a732a427f22ad1bf37e6878db43a12283f60a101a79fa",
      "messages": []
    },
    {
      "protocol_name": "Noise_NNhfs_25519+Kyber1024_ChaChaPoly_SHA256",
      "hybrid": "Kyber1024",
      "init_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "init_psks": [],
      "init_ephemeral": "24ad913c4fdeae0cdd7a44f70d0dc625b22f29e15ed8dca775d981012a3491ff",
      "resp_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "resp_psks": [],
      "resp_ephemeral": "c53a56ddfd32229f424a732a427f22ad1bf37e6878db43a12283f60a101a79fa",
      "messages": []
    },
    {
      "protocol_name": "Noise_IK_25519_ChaChaPoly_SHA256",
      "fallback": true,
      "fallback_pattern": "XXfallback",
      "init_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "init_psks": [],
      "init_ephemeral": "24ad913c4fdeae0cdd7a44f70d0dc625b22f29e15ed8dca775d981012a3491ff",
      "resp_prologue": "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
      "resp_psks": [],
      "resp_ephemeral": "c53a56ddfd32229f424a732a427f22ad1bf37e6878db43a12283f60a101a79fa",
      "messages": []
    }
  ]
}
"""#
}
